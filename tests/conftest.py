"""Shared fixtures: sandboxes (real NB + local API server) started once per session and scenario.

Tests that need `ovsdb-server` or `kubectl` fail loudly when they are missing: a silently skipped
end-to-end suite would make a green CI meaningless.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable, Iterator

import pytest

from tests.sandboxes import Sandbox

REQUIRED_BINARIES = ("ovsdb-server", "ovsdb-tool", "ovsdb-client", "ovn-nbctl", "ovs-appctl", "openssl", "kubectl")


def pytest_sessionstart(session: pytest.Session) -> None:
    missing = [b for b in REQUIRED_BINARIES if shutil.which(b) is None]
    if missing:
        raise pytest.UsageError(
            f"missing binaries {', '.join(missing)}: run `bash .ci/install` (tests never skip for this)"
        )
    if not Path("/usr/share/ovn/ovn-nb.ovsschema").exists():
        raise pytest.UsageError("missing /usr/share/ovn/ovn-nb.ovsschema: run `bash .ci/install`")


def _start(name: str, directory: Path, **options: object) -> Sandbox:
    from ovn_lsp_sandbox import runtime
    from ovn_lsp_sandbox.scenario_load import load_scenario

    state = runtime.start(load_scenario(name), directory, **options)  # type: ignore[arg-type]
    return Sandbox(name, directory, state)


@pytest.fixture(scope="session")
def sandbox_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Sandbox]]:
    """`sandbox_factory("tc4", nb_cluster=3)`: one sandbox per (scenario, options) for the whole session."""
    from ovn_lsp_sandbox import runtime

    started: dict[tuple, Sandbox] = {}

    def get(name: str, **options: object) -> Sandbox:
        key = (name, tuple(sorted(options.items())))
        if key not in started:
            label = "-".join([Path(name).stem] + [f"{k}{v}" for k, v in sorted(options.items())])
            started[key] = _start(name, tmp_path_factory.mktemp(f"sb-{label}"), **options)
        return started[key]

    yield get
    for sandbox in started.values():
        runtime.stop(sandbox.dir)


@pytest.fixture(scope="session")
def tc4(sandbox_factory: Callable[..., Sandbox]) -> Sandbox:
    return sandbox_factory("tc4")
