"""A second stage over the shipped scores, trained out of fold and judged on both development sets.

``rerank_sweep.py --linear-oof oof.npz --linear-model oof_model.npz`` (session 8). The best
model's errors on the development sets follow rule 4 (machines and components made for a sector
go to ``advanced-production``, not to the buyer's area). This asks whether a small learned stage
over scores the router already computes (no second embedding, so the speed targets hold) moves
them, and whether a class-prior correction helps the fast model. Every stage is trained on the
training examples' scores from models that did not see the row, never on a development set:

- rows of the linear model's training (``--linear-rows``, rounds 1-7 for the shipped model): the
  linear model's out-of-fold scores (``train.py --oof-out`` run on those rows; its
  ``--linear-model`` file gives the out-of-fold temperature); other rows (rounds 8 and 9): the
  shipped linear model itself, which never saw them;
- rows of the index (``--index-rows``, rounds 1-8): the nearest-neighbour votes out of fold
  (five folds grouped by translation twins, each fold centred by its own means, as
  ``build_index.py`` measures); other rows (round 9): the shipped index, which never saw them.

Stages (``--train all`` trains on every row, ``new`` on rounds 8-9 only, the rows the shipped
linear model never saw):

- a conditional logit over the 16 classes: a weight on the log of the shipped mix, optionally
  class biases, rule cues times class (maker, hardware, service, sales, research, buyer words,
  maker and hardware together, Danish, several sentences, short), and a gate (the two models'
  logs times their agreement and the nearest example's similarity);
- a pairwise reranker for rule 4: when ``advanced-production`` and another area are the mix's
  first two, a logistic regression over their log-score margins and the cues decides the order;
- for the fast model: its logits with learned class biases (a class-prior correction) or cues.

Each is scored as the router scores (none rule, top-3 as answered); temperatures are fitted on
``evaluation/routing_dev`` by likelihood as ``calibrate.py`` does, dev2 scored with dev's. Prints
top-1 with rows, top-3 and ECE on the examples (stage cross-fitted over 5 folds), dev and dev2,
the development rows won and lost against the shipped model, and for one stage (``--flips``)
which rows changed. Needs the embedding cache of ``mix_sweep.py`` (texts not in it are
embedded, about 40 a CPU-second).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedGroupKFold

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(REPO / "src"), str(HERE)]

from build_index import centres_of, embed, twin_groups  # noqa: E402
from calibrate import fit_t, soft  # noqa: E402
from devset import DEV_SETS, load_dev, scores  # noqa: E402
from mix_sweep import E5_CACHE  # noqa: E402
from score_dev import probabilities  # noqa: E402

from klynge.routing.clean import strip_boilerplate  # noqa: E402
from klynge.routing.embed import INDEX_PATH, KnnHead, centre, language_of  # noqa: E402
from klynge.routing.model import MODEL_PATH, NONE, LinearModel  # noqa: E402
from klynge.routing.prepare import embedding_text  # noqa: E402
from klynge.routing.text import detect_language, fold, tokens  # noqa: E402

SETS = DEV_SETS
PRODUCTION = "advanced-production"


def _stems(stems: str, anywhere: bool = False) -> re.Pattern[str]:
    """Words starting with one of the stems, or (Danish compounds: "fodringsanlæg") holding one."""
    return re.compile(("" if anywhere else "^") + "(?:" + "|".join(stems.split()) + ")")


# Rule cues, on folded words. Hardware and buyer words are found inside compounds too.
CUES: dict[str, re.Pattern[str]] = {
    "maker": _stems(
        "make manufactur produc build built fremstil fabrik factor lavet laver bygger konstru "
        "design develop udvikl suppl leverand levere"
    ),
    "hardware": _stems(
        "maskin machin udstyr equipment komponent component anlæg system ventil valve pump "
        "bearing lejer seal sensor connector relæ gear hydraul pneumat enclosure kabinet "
        "cabinet coating paint maling værktøj tool redskab sprøjt harv drill unit lighting "
        "motor engine styring control automati conveyor transportbånd plant fodring feeding "
        "stald stable parts dele stål steel metal plast gummi rubber filter kompressor "
        "compressor trykluft instrument apparat device hardware",
        anywhere=True,
    ),
    "service": _stems(
        "servic rådgiv consult konsulent drift operat driver butik shop retail klinik clinic "
        "skole school college uddann educat fond foundation kursus kurser course forening "
        "association medlem member"
    ),
    "sales": _stems(
        "salg sales sell sælg distribut forhandl import grossist wholesal agent webshop"
    ),
    "research": _stems("forsk research institut universit laborator"),
    "buyer": _stems(
        "landbrug farm agricult food fødevar mejeri dairy slagteri slaughter skib ship vessel "
        "marine maritim vind wind energi energy hospital patient bygning building byggeri "
        "construct hus house fjernvarme district svin pig kvæg cattle fjerkræ poultry "
        "gartneri greenhouse drivhus",
        anywhere=True,
    ),
}
CUE_NAMES = [*CUES, "maker+hardware", "danish", "sentences", "short"]


def cues(text: str) -> np.ndarray:
    """The rule cues of a description whose boilerplate is stripped (0 or 1 each)."""
    words = tokens(fold(text))
    hits = [float(any(p.search(w) for w in words)) for p in CUES.values()]
    return np.array(
        [
            *hits,
            hits[0] * hits[1],
            float(detect_language(words) == "da"),
            float(re.search(r"[.!?]\s+[A-ZÆØÅ]", text) is not None),
            float(len(words) < 10),
        ]
    )


def rows_at(commit: str) -> list[tuple[str, str]]:
    """(text as the index embeds it, label) of every example row at ``commit``, in file order."""
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", commit, "training/routing/examples/"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    out = []
    for name in sorted(n for n in names if n.endswith(".csv")):
        data = subprocess.run(
            ["git", "show", f"{commit}:{name}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for row in csv.DictReader(io.StringIO(data)):
            out.append((strip_boilerplate(row["text"].strip()), row["label"].strip()))
    return out


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def log_norm(z: np.ndarray) -> np.ndarray:
    return np.log(np.maximum(softmax(z), 1e-300))


class Stacker:
    """Conditional logit over the classes: score_c = a . f_c(row) + b_c + cues(row) . W_c."""

    def __init__(self, variant: set[str], lam: float, none: int) -> None:
        self.variant, self.lam, self.none = variant, lam, none

    def dense(self, p_lin: np.ndarray, knn: np.ndarray, sim1: np.ndarray) -> np.ndarray:
        ll = np.log(np.clip(p_lin, 1e-6, 1))
        lk = np.log(np.clip(knn, 1e-4, 1))
        f = [ll] if "fast" in self.variant else [np.log(np.clip(0.2 * p_lin + 0.8 * knn, 1e-6, 1))]
        if "gate" in self.variant:
            agree = (p_lin.argmax(1) == knn.argmax(1)).astype(float)[:, None]
            s = (sim1 - 0.75)[:, None]
            f += [ll, lk, ll * agree, lk * agree, ll * s, lk * s]
        if "none" in self.variant:
            e = np.zeros_like(ll)
            e[:, self.none] = 1.0
            f.append(e)
        return np.stack(f, axis=2)

    def _split(self, th: np.ndarray, n_dense: int, n_cues: int, k: int):
        a, rest = th[:n_dense], th[n_dense:]
        b = rest[:k] if "bias" in self.variant else np.zeros(k)
        rest = rest[k:] if "bias" in self.variant else rest
        return a, b, rest.reshape(n_cues, k)

    def scores(self, th: np.ndarray, d: np.ndarray, z: np.ndarray) -> np.ndarray:
        a, b, w = self._split(th, d.shape[2], z.shape[1], d.shape[1])
        return d @ a + b[None] + z @ w

    def fit(self, p_lin, knn, sim1, cue, y) -> Stacker:
        d = self.dense(p_lin, knn, sim1)
        z = cue if "cue" in self.variant else np.zeros((len(y), 0))
        n, k, nd = d.shape
        nb = k if "bias" in self.variant else 0
        th0 = np.zeros(nd + nb + z.shape[1] * k)
        th0[0] = 1.0
        onehot = np.eye(k)[y]

        def loss(th: np.ndarray) -> tuple[float, np.ndarray]:
            s = self.scores(th, d, z)
            s = s - s.max(axis=1, keepdims=True)
            lse = np.log(np.exp(s).sum(axis=1))
            g = (np.exp(s - lse[:, None]) - onehot) / n
            grad = np.concatenate([np.einsum("nkf,nk->f", d, g), g.sum(0)[:nb], (z.T @ g).ravel()])
            reg = th.copy()
            reg[0] = 0.0
            nll = float((lse - s[np.arange(n), y]).mean())
            return nll + 0.5 * self.lam * float(reg @ reg), grad + self.lam * reg

        self.th = minimize(loss, th0, jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
        return self

    def logits(self, p_lin, knn, sim1, cue) -> np.ndarray:
        z = cue if "cue" in self.variant else np.zeros((len(cue), 0))
        return self.scores(self.th, self.dense(p_lin, knn, sim1), z)


class PairReranker:
    """Rule 4 only: orders ``advanced-production`` against the other of the mix's first two."""

    def __init__(self, classes: list[str], c: float) -> None:
        self.prod, self.none, self.k, self.c = (
            classes.index(PRODUCTION),
            classes.index(NONE),
            len(classes),
            c,
        )

    def pairs(self, p_lin, knn, cue):
        p = 0.2 * p_lin + 0.8 * knn
        top2 = np.argsort(-p, axis=1)[:, :2]
        other = np.where(top2[:, 0] == self.prod, top2[:, 1], top2[:, 0])
        has = (top2 == self.prod).any(axis=1) & (other != self.none)
        r = np.arange(len(p))

        def margin(a: np.ndarray) -> np.ndarray:
            lg = np.log(np.clip(a, 1e-4, 1))
            return lg[r, self.prod] - lg[r, other]

        eye = np.eye(self.k)[other]
        x = np.column_stack(
            [margin(p), margin(p_lin), margin(knn), cue, eye, cue[:, [0]] * eye, cue[:, [1]] * eye]
        )
        return p, has, other, x

    def fit(self, p_lin, knn, cue, y) -> PairReranker:
        _, has, other, x = self.pairs(p_lin, knn, cue)
        sel = has & ((y == self.prod) | (y == other))
        self.n_pairs = int(sel.sum())
        self.clf = LogisticRegression(C=self.c, max_iter=2000).fit(x[sel], y[sel] == self.prod)
        return self

    def logits(self, p_lin, knn, cue) -> np.ndarray:
        p, has, other, x = self.pairs(p_lin, knn, cue)
        p = p.copy()
        if has.any():
            r = np.flatnonzero(has)
            share = self.clf.predict_proba(x[has])[:, 1]
            total = p[r, self.prod] + p[r, other[has]]
            p[r, self.prod], p[r, other[has]] = share * total, (1 - share) * total
        return np.log(np.clip(p, 1e-12, 1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--linear-oof", type=Path, required=True, help="train.py --oof-out file")
    ap.add_argument("--linear-model", type=Path, required=True, help="the model file of that run")
    ap.add_argument("--linear-rows", default="9b6f986", help="commit of the linear model's rows")
    ap.add_argument("--index-rows", default="d4d8a71", help="commit of the index's rows")
    ap.add_argument("--train", choices=("all", "new"), default="all")
    ap.add_argument("--flips", default="cue:0.01", help="stage:lambda whose changed rows to list")
    ap.add_argument(
        "--votes-out",
        type=Path,
        default=None,
        help="write the examples' votes (train.py --soft-votes)",
    )
    args = ap.parse_args()

    model, head = LinearModel.load(MODEL_PATH), KnnHead.load(INDEX_PATH)
    classes = model.classes
    none = classes.index(NONE)
    min_score = float(model.meta.get("min_score", 0.25))
    order = [head.classes.index(c) for c in classes]

    # The index's rows, out of fold, as build_index.py measures them.
    idx_rows = rows_at(args.index_rows)
    if len(idx_rows) != head.vectors.shape[0]:
        raise SystemExit(
            f"{args.index_rows} has {len(idx_rows)} rows, the index {len(head.labels)}"
        )
    texts = [t for t, _ in idx_rows]
    raw = embed(texts, E5_CACHE)
    hy = np.array([head.classes.index(label) for _, label in idx_rows])
    languages = np.array([language_of(t) for t in texts])
    knn = np.zeros((len(texts), len(classes)))
    sim1 = np.zeros(len(texts))
    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
    for tr, te in folds.split(raw, hy, twin_groups(raw, languages)):
        c = centres_of(raw[tr], languages[tr])
        fold_head = KnnHead(centre(raw[tr], c, list(languages[tr])), hy[tr], head.classes, 1.0)
        q = centre(raw[te], c, list(languages[te]))
        knn[te] = fold_head.votes(q)[:, order]
        sim1[te] = (q @ fold_head.vectors.T).max(axis=1)
    # Rows the index never saw (round 9): the shipped index, reading them as the router does.
    seen = set(texts)
    new = [(t, label) for t, label in rows_at("HEAD") if t not in seen]
    read = [embedding_text(t, model, head.respeller) for t, _ in new]
    q = head.place(embed(read, E5_CACHE), read)
    knn = np.vstack([knn, head.votes(q)[:, order]])
    sim1 = np.concatenate([sim1, (q @ head.vectors.T).max(axis=1)])
    texts += [t for t, _ in new]
    y = np.array([classes.index(label) for _, label in idx_rows + new])

    if args.votes_out is not None:
        np.savez_compressed(
            args.votes_out, texts=np.array(texts), votes=knn, classes=np.array(classes)
        )
    # The linear model: out of fold on its own rows, the shipped file on the others.
    p_lin = probabilities(model, texts)
    lin_rows = {t for t, _ in rows_at(args.linear_rows)}
    oof = np.load(args.linear_oof, allow_pickle=False)
    pos = {strip_boilerplate(str(t).strip()): i for i, t in enumerate(oof["texts"])}
    t_oof = LinearModel.load(args.linear_model).temperature
    in_lin = np.array([t in lin_rows for t in texts])
    missing = [t for t in np.array(texts)[in_lin] if t not in pos]
    if missing:
        raise SystemExit(f"{len(missing)} rows of {args.linear_rows} lack out-of-fold scores")
    at = [pos[t] for t in np.array(texts)[in_lin]]
    p_lin[in_lin] = softmax(oof["logits"][at] * t_oof / model.temperature)
    cue = np.array([cues(t) for t in texts])
    if args.train == "new":
        keep = ~in_lin
        texts = [t for t, k in zip(texts, keep, strict=True) if k]
        y, p_lin, knn, sim1, cue = y[keep], p_lin[keep], knn[keep], sim1[keep], cue[keep]
    print(
        f"{len(y)} training rows ({int(in_lin.sum())} with out-of-fold linear scores); "
        f"cues {CUE_NAMES}"
    )

    sets = {}
    for name, path in SETS.items():
        dtexts, dy, _ = load_dev(classes, path)
        dread = [embedding_text(strip_boilerplate(t), model, head.respeller) for t in dtexts]
        dq = head.place(embed(dread, E5_CACHE), dread)
        sets[name] = {
            "texts": dtexts,
            "y": dy,
            "p_lin": probabilities(model, dtexts),
            "knn": head.votes(dq)[:, order],
            "sim1": (dq @ head.vectors.T).max(axis=1),
            "cue": np.array([cues(strip_boilerplate(t)) for t in dtexts]),
            "ids": [
                r["id"]
                for r in csv.DictReader(path.open(encoding="utf-8"))
                if (r.get("description") or "").strip()
            ],
        }

    def predict(p: np.ndarray) -> np.ndarray:
        areas = p.copy()
        areas[:, none] = -1.0
        is_none = (p.argmax(axis=1) == none) | (areas.max(axis=1) < min_score)
        return np.where(is_none, none, areas.argmax(axis=1))

    shipped: dict[str, dict[str, np.ndarray]] = {}

    def report(
        label: str, fn: Callable[[dict[str, np.ndarray]], np.ndarray], oof_lp: np.ndarray, base: str
    ) -> dict[str, np.ndarray]:
        """Top-1 (rows), top-3, ECE on OOF, dev, dev2; temperature fitted on dev."""
        lp = {n: fn(d) for n, d in sets.items()}
        t = fit_t(lp["dev"], sets["dev"]["y"])
        cells, preds = [], {}
        for n, logp, yy in (("OOF", oof_lp, y), *((n, lp[n], sets[n]["y"]) for n in sets)):
            p = soft(logp, t)
            s = scores(p, yy, none, min_score)
            preds[n] = predict(p)
            cells.append(
                f"{n} {100 * s['top1']:.2f}% ({round(s['top1'] * len(yy))}/{len(yy)})"
                f" t3 {100 * s['top3']:.1f} ECE {s['ece']:.3f}"
            )
        if base in shipped:
            for n in sets:
                b, s_ = shipped[base][n] == sets[n]["y"], preds[n] == sets[n]["y"]
                cells.append(f"{n} +{int((s_ & ~b).sum())}/-{int((b & ~s_).sum())}")
        print(f"{label:<30} T {t:.3f} | " + " | ".join(cells), flush=True)
        return preds

    def mix_lp(d: dict[str, np.ndarray]) -> np.ndarray:
        return np.log(np.clip(0.2 * d["p_lin"] + 0.8 * d["knn"], 1e-12, 1))

    train = {"p_lin": p_lin, "knn": knn, "sim1": sim1, "cue": cue}
    shipped["best"] = report("best, shipped mix", mix_lp, mix_lp(train), "")
    shipped["fast"] = report(
        "fast, shipped linear", lambda d: np.log(d["p_lin"]), np.log(p_lin), ""
    )
    kf = list(KFold(5, shuffle=True, random_state=0).split(texts))

    def stage(name: str, lam: float) -> dict[str, np.ndarray]:
        variant = set(name.split("+"))
        oof_lp = np.zeros_like(p_lin)
        for tr, te in kf:
            st = Stacker(variant, lam, none).fit(p_lin[tr], knn[tr], sim1[tr], cue[tr], y[tr])
            oof_lp[te] = log_norm(st.logits(p_lin[te], knn[te], sim1[te], cue[te]))
        st = Stacker(variant, lam, none).fit(p_lin, knn, sim1, cue, y)
        base = "fast" if "fast" in variant else "best"
        return report(
            f"{name} lam={lam}",
            lambda d: log_norm(st.logits(d["p_lin"], d["knn"], d["sim1"], d["cue"])),
            oof_lp,
            base,
        )

    found = {}
    for name in (
        "bias",
        "none",
        "cue",
        "bias+cue",
        "gate+bias+cue",
        "fast+bias",
        "fast+none",
        "fast+cue",
        "fast+bias+cue",
    ):
        for lam in (1e-3, 1e-2):
            found[f"{name}:{lam}"] = stage(name, lam)
    for c in (0.1, 1.0, 10.0):
        oof_lp = np.zeros_like(p_lin)
        for tr, te in kf:
            pr = PairReranker(classes, c).fit(p_lin[tr], knn[tr], cue[tr], y[tr])
            oof_lp[te] = pr.logits(p_lin[te], knn[te], cue[te])
        pr = PairReranker(classes, c).fit(p_lin, knn, cue, y)
        report(
            f"rule-4 pairs C={c} ({pr.n_pairs})",
            lambda d, pr=pr: pr.logits(d["p_lin"], d["knn"], d["cue"]),
            oof_lp,
            "best",
        )

    if args.flips in found:
        base = "fast" if "fast" in args.flips else "best"
        for n, d in sets.items():
            b, s_ = shipped[base][n], found[args.flips][n]
            for i in np.flatnonzero(b != s_):
                tag = "won" if s_[i] == d["y"][i] else "lost" if b[i] == d["y"][i] else "both wrong"
                print(
                    f"{args.flips} {n} {d['ids'][i]} {tag}: gold {classes[d['y'][i]]}, "
                    f"shipped {classes[b[i]]}, stage {classes[s_[i]]}"
                )


if __name__ == "__main__":
    main()
