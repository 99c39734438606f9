"""Keep the process's resident memory flat on glibc.

A long initial sync parses millions of short-lived rows; Python's own heap stays small (a few
MB traced) but freed memory in glibc's per-thread arenas is not handed back, so RSS creeps up
with the number of records. Fewer arenas and a periodic ``malloc_trim`` return it. Elsewhere
(musl, macOS) both are no-ops.
"""
from __future__ import annotations

import ctypes
import ctypes.util

M_ARENA_MAX = -8


def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc only
        return libc
    except (OSError, AttributeError):
        return None


_LIBC = _libc()


def limit_arenas(arenas: int = 2) -> None:
    if _LIBC is not None:
        _LIBC.mallopt(M_ARENA_MAX, arenas)


def trim() -> None:
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
