"""`deploy/migrations_ready.py` in a rolling upgrade: a database migrated past
this code's head serves it only when every newer revision is marked
`compatible_with_previous = True`; otherwise the older code is refused, and
told why. On PostgreSQL and on SQLite."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from common import config
from common.migrate import alembic_config, upgrade
from tests.support import infra

SERVICE = "members"
NEXT = "next_release"


def _load_ready() -> ModuleType:
    path = config.REPO_ROOT / "deploy" / "migrations_ready.py"
    spec = importlib.util.spec_from_file_location("migrations_ready", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ready = _load_ready()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    if request.param == "sqlite":
        made = f"sqlite:///{tmp_path / 'members.db'}"
        monkeypatch.setenv("MEMBERS_DATABASE_URL", made)
        yield made
        return
    with infra.scratch_database("ready") as made:
        monkeypatch.setenv("MEMBERS_DATABASE_URL", made)
        yield made


def migrate_as_next_release(url: str, folder: Path, marked: bool) -> str:
    """Migrate `url` with this code's migrations plus one more revision, as
    the next release's image would; return this code's head."""
    ours = alembic_config(SERVICE, url)
    head = ScriptDirectory.from_config(ours).get_current_head()
    assert head is not None
    copy = folder / "migrations"
    shutil.copytree(
        config.REPO_ROOT / "services" / SERVICE / "migrations",
        copy,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    marker = "compatible_with_previous = True\n" if marked else ""
    (copy / "versions" / f"{NEXT}.py").write_text(
        f'''"""members: a column the previous release does not know"""

import sqlalchemy as sa
from alembic import op

revision = {NEXT!r}
down_revision = {head!r}
branch_labels = None
depends_on = None
{marker}

def upgrade() -> None:
    op.add_column("members", sa.Column("next_note", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("members", "next_note")
'''
    )
    theirs = alembic_config(SERVICE, url)
    theirs.set_main_option("script_location", str(copy))
    command.upgrade(theirs, "head")
    return head


def test_at_head_is_ready(url: str) -> None:
    upgrade(SERVICE, url)
    assert ready.pending(SERVICE) is None
    assert ready.main([SERVICE, "--wait", "0"]) == 0


def test_behind_waits(url: str) -> None:
    command.upgrade(alembic_config(SERVICE, url), "0001")
    problem = ready.pending(SERVICE)
    assert problem is not None and problem.startswith("at ['0001'], head is"), problem


def test_ahead_by_a_compatible_revision_is_ready(url: str, tmp_path: Path) -> None:
    migrate_as_next_release(url, tmp_path, marked=True)
    assert ready.pending(SERVICE) is None
    assert ready.main([SERVICE, "--wait", "0"]) == 0


def test_ahead_by_an_unmarked_revision_is_refused(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = migrate_as_next_release(url, tmp_path, marked=False)
    assert ready.main([SERVICE, "--wait", "0"]) == 1
    err = capsys.readouterr().err
    assert f"at ['{NEXT}'], ahead of this code's head ['{head}']" in err, err
    assert f"['{NEXT}'] are not marked `compatible_with_previous = True`" in err, err
    assert "must not run against that schema" in err, err
