"""The first recommendation in a new process, with each profile's e5 vectors stored (revision
0012) against without them (the behaviour before: every profile embedded on first use), and
what storing them adds to saving one profile and to importing 300.

Everything runs in fresh subprocesses on a scratch SQLite database: 300 organisations and their
profiles, the first 300 profiles of the development set ``evaluation/matchmaking/profiles.csv``
(the v1 set; never a test set). Each figure is the best of ``--repeat`` runs, with the baseline
in the same run:

* the first recommendation in a new process (the call, and the whole process), on a copy of
  the database with vectors and on a copy without (copied again for every run, since the first
  recommendation writes back what it embedded); and the median of 20 later ones in that process,
  with the hooks of ``klynge.services.match_vectors`` and with them switched off;
* saving one profile with a new text in a new process, with the model and with
  ``KLYNGE_MATCH_MODEL=fast`` (nothing embedded: the previous cost of a save), then a second
  save in the same process (the model loaded);
* importing the 300 profiles into an empty profile table, with the model and without; and
  importing the same file again (unchanged texts: the stored vectors are reused).

The encoder's calls are counted through ``guess.encode`` in each subprocess.

    .venv/bin/python benchmarks/bench_recommend_cold.py [--profiles 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "evaluation" / "matchmaking" / "profiles.csv"

#: Run in each subprocess: the encoder counted, one timed action, the figures as JSON.
CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from klynge.matchmaking import guess
from klynge.services import matchmaking as mm
from klynge.services.auth import LOCAL
from klynge.services.matchmaking import ProfileInput

texts = [0]
real = guess.encode
def counted(batch, side="passage"):
    texts[0] += len(batch)
    return real(batch, side=side)
guess.encode = counted
action, arg = sys.argv[1], sys.argv[2]
out = {}
if action == "recommend":
    t = time.perf_counter()
    r = mm.recommend(arg, principal=LOCAL, lang="en")
    out["call_s"] = time.perf_counter() - t
    out["top"] = [p.organisation for p in r.partners[:3]]
    if len(sys.argv) > 3:  # then warm: the next recommendations, with the hooks and without
        import statistics
        from klynge.services import match_vectors as mv
        keys = sys.argv[3].split(",")
        def median():
            ts = []
            for k in keys:
                t = time.perf_counter()
                mm.recommend(k, principal=LOCAL)
                ts.append(time.perf_counter() - t)
            return statistics.median(ts)
        median()
        out["warm_s"] = median()
        mv.to_read = lambda profiles: []
        mv.write_back = lambda run, profiles: 0
        out["warm_off_s"] = median()
elif action == "save":
    for i, key in enumerate(("first", "second")):
        body = ProfileInput(
            offers=f"We build inspection drones for wind turbines ({key}). They fly offshore.",
            seeks=f"Partners in machine learning for defect detection ({key}).",
            language="en",
        )
        t = time.perf_counter()
        mm.save_profile(arg, body, principal=LOCAL)
        out[f"{key}_s"] = time.perf_counter() - t
elif action == "import":
    t = time.perf_counter()
    r = mm.import_profiles(__import__("pathlib").Path(arg), principal=LOCAL)
    out["call_s"] = time.perf_counter() - t
    out["counts"] = [r.inserted, r.updated, r.unchanged]
out["texts_embedded"] = texts[0]
out["process_s"] = time.perf_counter() - t0
print(json.dumps(out))
"""


def child(db: Path, *args: str, model: bool = True) -> dict[str, Any]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "KLYNGE_DATABASE_URL": f"sqlite:///{db}",
        "OMP_NUM_THREADS": "1",
    }
    env.pop("KLYNGE_MATCH_MODEL", None)
    if not model:
        env["KLYNGE_MATCH_MODEL"] = "fast"
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args], env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - t
    if done.returncode:
        raise SystemExit(done.stderr)
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    out["wall_s"] = wall
    return out


def files(folder: Path, n: int) -> tuple[Path, Path, list[str]]:
    """The organisations' file, the profiles' file and the organisations' keys."""
    with SOURCE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:n]
    orgs = folder / "organisations.csv"
    with orgs.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["key", "cvr", "name", "kind", "employees", "country"])
        for r in rows:
            w.writerow(
                [
                    r["organisation"].lower(),
                    "",
                    r["organisation"],
                    r["organisation_kind"],
                    "10",
                    "SE",  # a Danish company would need a CVR number
                ]
            )
    profiles = folder / "profiles.csv"
    with profiles.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["organisation", "language", "offers", "seeks", "areas", "partner_kinds"])
        for r in rows:
            w.writerow(
                [
                    r["organisation"].lower(),
                    r["language"],
                    r["offers"],
                    r["seeks"],
                    r["areas"],
                    r["partner_kinds"],
                ]
            )
    return orgs, profiles, [r["organisation"].lower() for r in rows]


def setup(folder: Path, orgs: Path) -> Path:
    """A database with the registry's organisations and no profiles."""
    db = folder / "empty.db"
    code = (
        "from pathlib import Path; from klynge.services.registry import import_path; "
        "from klynge.services.auth import LOCAL; "
        f"import_path('organisations', Path({str(orgs)!r}), principal=LOCAL)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "KLYNGE_DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return db


def copy(src: Path, dst: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{src}{suffix}").exists():
            shutil.copy(f"{src}{suffix}", f"{dst}{suffix}")
    return dst


def best(runs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return min(runs, key=lambda r: float(r[key]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--profiles", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="klynge-bench-cold-") as tmp:
        folder = Path(tmp)
        orgs, profiles, keys = files(folder, args.profiles)
        first = keys[0]
        empty = setup(folder, orgs)
        n = args.profiles

        # Importing: with the model (vectors computed and stored) and without (as before).
        imports: dict[str, list[dict[str, Any]]] = {"model": [], "fast": [], "again": []}
        for i in range(args.repeat):
            for kind in ("model", "fast"):
                db = copy(empty, folder / f"import-{kind}-{i}.db")
                imports[kind].append(child(db, "import", str(profiles), model=kind == "model"))
            imports["again"].append(child(folder / f"import-model-{i}.db", "import", str(profiles)))
        with_vectors = folder / "import-model-0.db"
        without = folder / "import-fast-0.db"

        # The first recommendation in a new process.
        rec: dict[str, list[dict[str, Any]]] = {"stored": [], "none": []}
        for i in range(args.repeat):
            rec["stored"].append(
                child(copy(with_vectors, folder / f"r-s-{i}.db"), "recommend", first)
            )
            rec["none"].append(child(copy(without, folder / f"r-n-{i}.db"), "recommend", first))
        # Later recommendations in that process (the server's case): the cost of the hooks.
        warm = child(
            copy(with_vectors, folder / "r-warm.db"), "recommend", first, ",".join(keys[1:21])
        )

        # Saving one profile in a new process (then a second one in the same process).
        save: dict[str, list[dict[str, Any]]] = {"model": [], "fast": []}
        for i in range(args.repeat):
            for kind in ("model", "fast"):
                db = copy(with_vectors, folder / f"s-{kind}-{i}.db")
                save[kind].append(child(db, "save", first, model=kind == "model"))

    s, b = best(rec["stored"], "call_s"), best(rec["none"], "call_s")
    print(f"First recommendation among {n} profiles in a new process (best of {args.repeat}):")
    print(
        f"  without stored vectors (before): {b['call_s']:.2f} s the call, {b['wall_s']:.2f} s "
        f"the process, {b['texts_embedded']} texts embedded"
    )
    print(
        f"  with stored vectors:             {s['call_s']:.2f} s the call, {s['wall_s']:.2f} s "
        f"the process, {s['texts_embedded']} texts embedded  ({b['call_s'] / s['call_s']:.0f}x)"
    )
    print(f"  same top three: {s['top'] == b['top']} ({', '.join(s['top'])})")
    print(
        f"  later ones in that process (median of 20, every profile already checked): "
        f"{warm['warm_s'] * 1000:.0f} ms; with the vector hooks switched off "
        f"{warm['warm_off_s'] * 1000:.0f} ms"
    )
    m, f = best(save["model"], "first_s"), best(save["fast"], "first_s")
    m2, f2 = best(save["model"], "second_s"), best(save["fast"], "second_s")
    print(f"Saving one profile (best of {args.repeat}):")
    print(
        f"  without the model (before): first in a process {f['first_s'] * 1000:.0f} ms, "
        f"next {f2['second_s'] * 1000:.0f} ms"
    )
    print(
        f"  with vectors stored:        first in a process {m['first_s'] * 1000:.0f} ms "
        f"(loads the model), next {m2['second_s'] * 1000:.0f} ms; "
        f"{m['texts_embedded'] // 2} texts embedded a save"
    )
    im, ifast, again = (
        best(imports["model"], "call_s"),
        best(imports["fast"], "call_s"),
        best(imports["again"], "call_s"),
    )
    print(f"Importing {n} profiles into an empty profile table (best of {args.repeat}):")
    print(f"  without the model (before): {ifast['call_s']:.2f} s")
    print(
        f"  with vectors stored:        {im['call_s']:.2f} s ({im['texts_embedded']} texts "
        f"embedded, +{im['call_s'] - ifast['call_s']:.2f} s)"
    )
    print(
        f"  the same file again:        {again['call_s']:.2f} s ({again['texts_embedded']} texts "
        f"embedded: the stored vectors are reused)"
    )


if __name__ == "__main__":
    main()
