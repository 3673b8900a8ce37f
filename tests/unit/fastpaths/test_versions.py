"""Each module of common/fastpaths reaches into a library's internals and
names the versions it was written for (`WRITTEN_FOR`). When the lock or the
installed version moves, this fails and points to the module to re-read: its
fast paths may no longer be taken (their tests say), or be subtly wrong, and
their gain must be measured again (docs/benchmarks.md, "Fast paths")."""

from __future__ import annotations

import importlib
import importlib.metadata
import re
from pathlib import Path
from types import ModuleType

import pytest

from common import fastpaths
from common.config import REPO_ROOT

MODULES = ["graphql_core", "strawberry", "py_amqp", "psycopg2", "nameko"]


def module(name: str) -> ModuleType:
    return importlib.import_module(f"common.fastpaths.{name}")


def locked() -> dict[str, str]:
    """requirements.lock's pins, by normalized distribution name."""
    pins = {}
    for line in (REPO_ROOT / "requirements.lock").read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", line):
            pins[normalized(match[1])] = match[2]
    return pins


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("name", MODULES)
def test_the_lock_and_the_installed_versions_are_those_written_for(
    name: str,
) -> None:
    found = module(name)
    path = Path(str(found.__file__)).relative_to(REPO_ROOT)
    pins = locked()
    assert found.WRITTEN_FOR, f"{path}: WRITTEN_FOR names no library"
    for dist, written in found.WRITTEN_FOR.items():
        lock = pins.get(normalized(dist))
        installed = importlib.metadata.version(dist)
        assert lock == written and installed == written, (
            f"{dist} is {lock} in requirements.lock and {installed} installed, "
            f"but {path} was written for {written}: re-read it against the new "
            "version, run its tests and its benchmark (docs/benchmarks.md, "
            "'Fast paths'), then update its WRITTEN_FOR"
        )


def test_every_fast_path_has_its_library_module() -> None:
    for name in fastpaths.NAMES:
        library = name.partition(".")[0]
        assert library in MODULES, f"{name}: no common/fastpaths/{library}.py"
    assert sorted(p.stem for p in Path(fastpaths.__file__).parent.glob("[!_]*.py")) == (
        sorted(MODULES)
    )


def test_fastpaths_off_names_known_fast_paths_or_all() -> None:
    assert fastpaths._read_off("") == set()
    assert fastpaths._read_off("all") == set(fastpaths.NAMES)
    assert fastpaths._read_off(" nameko.replies ,") == {"nameko.replies"}
    with pytest.raises(ValueError, match=r"unknown fast path.*'nameko'"):
        fastpaths._read_off("nameko")
