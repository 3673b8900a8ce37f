"""An RPC call with arguments the method cannot take is refused, as nameko does."""

from __future__ import annotations

import inspect
from types import SimpleNamespace
from typing import Any

import pytest
from nameko.exceptions import IncorrectSignature

from common import fastpaths
from common.fastpaths import nameko
from common.fastpaths.nameko import UnconfirmedReplyRpc


class Service:
    name = "svc"

    def search(self, filter: Any, first: int = 20, *, order: str = "NAME") -> None:
        pass


def entrypoint() -> UnconfirmedReplyRpc:
    rpc = UnconfirmedReplyRpc()
    rpc.method_name = "search"
    rpc.container = SimpleNamespace(service_cls=Service)
    return rpc


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [(({},), {}), (({}, 5), {}), ((), {"filter": {}, "order": "DATE"})],
)
def test_arguments_the_method_takes_pass(args: tuple[Any, ...], kwargs: Any) -> None:
    entrypoint().check_signature(args, kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((), {}), (({}, 5, 6), {}), (({},), {"colour": "red"})],
)
def test_others_are_refused(args: tuple[Any, ...], kwargs: Any) -> None:
    with pytest.raises(IncorrectSignature):
        entrypoint().check_signature(args, kwargs)


def test_a_refused_shape_stays_refused_after_accepted_ones() -> None:
    rpc = entrypoint()
    for _ in range(2):
        rpc.check_signature(({},), {})
        rpc.check_signature(({}, 5), {"order": "DATE"})
        with pytest.raises(IncorrectSignature):
            rpc.check_signature(({}, 5, 6), {})
        with pytest.raises(IncorrectSignature):
            rpc.check_signature(({},), {"colour": "red"})


def test_a_known_shape_takes_the_fast_path_unless_turned_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rpc = entrypoint()
    rpc.check_signature(({},), {})
    slow: list[Any] = []
    monkeypatch.setattr(inspect, "getcallargs", lambda *a, **k: slow.append(a))
    before = fastpaths.taken[nameko.CHECK_SIGNATURE]
    rpc.check_signature(({},), {})
    assert fastpaths.taken[nameko.CHECK_SIGNATURE] == before + 1
    assert slow == []  # nameko's own check did not run
    with fastpaths.turned_off(nameko.CHECK_SIGNATURE):
        rpc.check_signature(({},), {})
    assert len(slow) == 1
    assert fastpaths.taken[nameko.CHECK_SIGNATURE] == before + 1
