"""Shared fixtures: sandboxes (real NB + local API server) started once per session and scenario.

Only the suites that need `ovsdb-server` and `kubectl` require them: `tests/unit` (the pure model) runs on any
machine with Python. When a collected test needs a missing binary, the run fails at once with one line saying what
to install (never a skip: a silently skipped end-to-end suite would make a green CI meaningless).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.sandboxes import Sandbox

REQUIRED_BINARIES = (
    "ovsdb-server",
    "ovsdb-tool",
    "ovsdb-client",
    "ovn-nbctl",
    "ovs-appctl",
    "openssl",
    "kubectl",
    "prometheus",  # serve: a real Prometheus scrapes it (tests/e2e/test_serve.py)
    "promtool",  # serve: the alert rules (tests/deploy)
)
NB_SCHEMA = Path("/usr/share/ovn/ovn-nb.ovsschema")
PURE_SUITES = (Path(__file__).parent / "unit",)
SBIN = ("/usr/local/sbin", "/usr/sbin", "/sbin")  # Debian installs ovsdb-server here, off a user's PATH

_path = os.environ.get("PATH", "").split(os.pathsep)
os.environ["PATH"] = os.pathsep.join(_path + [d for d in SBIN if d not in _path and os.path.isdir(d)])


def _needs_servers(item: pytest.Item) -> bool:
    path = Path(str(item.fspath)).resolve()
    return not any(path.is_relative_to(suite) for suite in PURE_SUITES)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The pure model tests are time-sensitive by nature (ages, grace periods, klog years): they run with the
    `clock` tests under a shifted clock too (.ci/run)."""
    for item in items:
        if not _needs_servers(item):
            item.add_marker(pytest.mark.clock)


def missing_requirements() -> list[str]:
    missing = [b for b in REQUIRED_BINARIES if shutil.which(b) is None]
    if not NB_SCHEMA.exists():
        missing.append(str(NB_SCHEMA))
    return missing


def pytest_collection_finish(session: pytest.Session) -> None:
    if not any(_needs_servers(item) for item in session.items):
        return
    missing = missing_requirements()
    if missing:
        raise pytest.UsageError(
            f"missing {', '.join(missing)}, needed by the functional, sandbox and e2e tests: run `bash .ci/install` "
            "(or run only the pure model tests: python3 -m pytest tests/unit)"
        )


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
