"""Where localstripe keeps its state.

localstripe pickles its whole store to the fixed path /tmp/localstripe.pickle on
every write and reloads it at start, so two runs (or two CI jobs on one host)
would share and leak state. We point it at a file of our choosing, or at nothing.
"""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path
from typing import Any

from localstripe.resources import store

log = logging.getLogger(__name__)


def _dump(path: Path) -> None:
    # Write-then-rename so a crash mid-dump never leaves a truncated pickle.
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        pickle.dump(dict(store), f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            data = pickle.load(f)
    except FileNotFoundError:
        return {}
    except Exception:  # an old or foreign pickle must not stop a dev server
        log.warning("ignoring unreadable state file %s", path, exc_info=True)
        return {}
    return dict(data)


def configure_persistence(state_file: str, *, from_scratch: bool) -> None:
    """Redirect localstripe's store to ``state_file`` ('' = memory only)."""
    store.clear()
    if not state_file:
        store.dump_to_disk = lambda: None
        store.try_load_from_disk = lambda: None
        return
    path = Path(state_file).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Instance attributes shadow Store's methods, which hard-code /tmp.
    store.dump_to_disk = lambda: _dump(path)
    store.try_load_from_disk = lambda: None
    if from_scratch:
        path.unlink(missing_ok=True)
    else:
        dict.update(store, _load(path))  # bypass __setitem__'s dump per key
        log.info("loaded %d objects from %s", len(store), path)


def save() -> None:
    """Persist after mutations made outside a request (e.g. expiry sweeps)."""
    store.dump_to_disk()
