"""Give memory freed by a large answer back to the operating system.

CPython frees a large answer's objects, but glibc keeps the pages in the process's heap (its mmap
threshold grows with the blocks it has seen), so a process that once held 30 MB of strings stays
30 MB larger. ``malloc_trim(0)`` returns the free pages at the top and in the middle of the heap.
Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

#: Answers at least this large (characters of term text) are followed by a trim.
LARGE = 1_000_000


@cache
def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def trim() -> bool:
    """Return free heap pages to the system; whether it could (glibc only)."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
