"""mypy, not production, catches a broken promise on the wire: a method
renamed, a parameter changed, a view field misspelt, a service that no
longer keeps its Protocol. Runs mypy (with its cache) on snippets that break
each promise once, beside one that keeps them all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

ROOT = Path(__file__).resolve().parents[3]

GOOD = """
from gateway.clients import Services

async def directory(services: Services) -> str:
    page = await services.members.list_members(None, 20, None)
    return page["edges"][0]["node"]["name"]
"""

# Each snippet and the mypy error code it must get.
BROKEN = {
    "renamed method": """
from gateway.clients import Services

async def f(services: Services) -> None:
    await services.members.list_memberz(None, 20, None)
""",
    "changed parameter": """
from gateway.clients import Services

async def f(services: Services) -> None:
    await services.payments.refund_payment("p-1", "all of it")
""",
    "misspelt field": """
from gateway.clients import Services

async def f(services: Services) -> object:
    found = await services.grants.get_application("a-1")
    return found["titel"]
""",
    "service off its Protocol": """
from contracts.rpc import Notifications
from services.notifications.service import Service

class Renamed(Service):
    def get_notification(self, id: int) -> None:  # type: ignore[override]
        return None

_: type[Notifications] = Renamed
""",
}


def _errors(tmp_path: Path, name: str, source: str) -> list[str]:
    module = tmp_path / f"{name.replace(' ', '_')}.py"
    module.write_text(source)
    out, _err, _status = mypy_api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), str(module)]
    )
    return [line for line in out.splitlines() if re.search(r": error:", line)]


def test_a_call_that_keeps_the_contract_type_checks(tmp_path: Path) -> None:
    assert _errors(tmp_path, "good", GOOD) == []


EXPECTED = {
    "renamed method": "[attr-defined]",
    "changed parameter": "[arg-type]",
    "misspelt field": "is not a valid TypedDict key",
    "service off its Protocol": "[assignment]",
}


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_a_broken_promise_fails_type_checking(tmp_path: Path, broken: str) -> None:
    errors = _errors(tmp_path, broken, BROKEN[broken])
    assert len(errors) == 1 and EXPECTED[broken] in errors[0], errors
