"""Keep the start-up heap out of the garbage collector's way.

A process that has imported its framework, schema and models holds tens of
thousands of long-lived objects. Every full collection walks them all: in the
gateway that was a 40-50 ms pause about every two seconds under load, which
stalled every request in flight and made the p99. `gc.freeze()` moves what
exists now into a permanent generation the collector no longer scans (the
pattern CPython documents for pre-fork servers); later garbage is collected
as before.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect once, then exempt every surviving object; how many were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
