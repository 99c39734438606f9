"""Issue 13: `stack.json` and the secrets file are created owner-only (0600) from the first byte,
never written wider and chmod-ed afterwards."""
from __future__ import annotations

import json
import os
import stat
import sys

import pytest

from devstack import secrets_file

WATCHED: list[tuple[str, tuple]] = []
_watching: set[str] = set()


def _audit(event: str, args: tuple) -> None:
    if _watching and event in ("os.chmod", "open") and args and str(args[0]) in _watching:
        WATCHED.append((event, args))


sys.addaudithook(_audit)


@pytest.fixture
def watch(tmp_path):
    old_umask = os.umask(0o022)
    WATCHED.clear()

    def start(*paths):
        _watching.update(str(path) for path in paths)
        return WATCHED

    yield start
    _watching.clear()
    os.umask(old_umask)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_secrets_file_is_created_owner_only_without_a_chmod(tmp_path, watch):
    path = tmp_path / "state" / "secrets.json"
    events = watch(path)
    values = secrets_file.load_or_create(path)
    assert _mode(path) == 0o600
    assert not [event for event in events if event[0] == "os.chmod"], "written wider, then chmod-ed"
    assert secrets_file.load_or_create(path) == values


def test_the_stack_manifest_is_created_owner_only(tmp_path, watch):
    from devstack.supervisor import Supervisor

    supervisor = Supervisor(tmp_path, demo=False, state_dir=tmp_path)
    events = watch(supervisor.manifest)
    supervisor.write_manifest_file({"admin_token": "secret"})
    assert _mode(supervisor.manifest) == 0o600
    assert json.loads(supervisor.manifest.read_text()) == {"admin_token": "secret"}
    assert not [event for event in events if event[0] == "os.chmod"]
