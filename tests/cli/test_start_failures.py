"""Failures before a handler runs (importing the CLI, building the parser) are one `error:` line too, through the
installed console scripts exactly as a user runs them (`kubectl_ovn_lsp/cli/entry.py`).

Before the entry module, `kubectl-ovn_lsp version` under `ulimit -v` of ~15-18 MB printed a Python traceback
(MemoryError while importing `kubectl_ovn_lsp.cli.main`, before its handler was installed).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

OUT_OF_MEMORY = (
    "error: out of memory: the command needs more memory than this process may use (ulimit -v, a cgroup limit)\n"
)
ROOT = Path(__file__).resolve().parents[2]


def _limited(kilobytes: int):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (kilobytes * 1024, kilobytes * 1024))

    return limit


def _interpreter_floor(env: dict[str, str] | None = None) -> int:
    """The lowest `ulimit -v` (KiB, 250 KiB steps) under which this venv's interpreter starts and runs `pass`
    silently (its `site` processing included): below it CPython itself fails, before any code of the plugin."""
    for kilobytes in range(8000, 40000, 250):
        proc = subprocess.run(
            [sys.executable, "-c", "pass"],
            capture_output=True,
            text=True,
            timeout=30,
            preexec_fn=_limited(kilobytes),
            env=env,
        )
        if proc.returncode == 0 and proc.stderr == "":
            return kilobytes
    raise AssertionError("the interpreter does not start under 40 MB")


@pytest.mark.parametrize("bytecode", ["cached", "compiled from source"])
def test_every_limit_from_failing_at_import_to_answering_is_one_line_or_the_answer(
    bytecode: str, tmp_path: Path
) -> None:
    """From 1.25 MB above the interpreter's own floor (pip's console-script wrapper needs that much to import the
    entry module) to 7 MB above it, in 250 KiB steps: failing while importing the CLI (the low limits), failing
    later, and answering. Each run is the answer (exit 0) or exactly the out-of-memory line (exit 1). With no
    cached bytecode (a fresh clone's editable install: CI's first run) every module is compiled under the limit,
    where CPython's parser reports a failed allocation as a SyntaxError in a valid module."""
    plugin = shutil.which("kubectl-ovn_lsp")
    assert plugin is not None
    env = dict(os.environ)
    if bytecode == "compiled from source":  # an empty cache that is never written: every import compiles
        env.update(PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"), PYTHONDONTWRITEBYTECODE="1")
    floor = _interpreter_floor(env)
    outcomes = []
    for kilobytes in range(floor + 1250, floor + 7000, 250):
        proc = subprocess.run(
            [plugin, "version"], capture_output=True, text=True, timeout=30, preexec_fn=_limited(kilobytes), env=env
        )
        if proc.returncode == 0:
            assert proc.stdout.startswith("kubectl ovn-lsp v0.1.0\n") and proc.stderr == "", (kilobytes, proc.stderr)
            outcomes.append("answer")
            continue
        assert (proc.returncode, proc.stderr, proc.stdout) == (1, OUT_OF_MEMORY, ""), (kilobytes, proc.stderr)
        outcomes.append("out of memory")
    assert outcomes[0] == "out of memory" and outcomes[-1] == "answer", outcomes


def test_completion_under_any_of_those_limits_writes_nothing_on_stderr() -> None:
    complete = shutil.which("kubectl_complete-ovn_lsp")
    assert complete is not None
    floor = _interpreter_floor()
    for kilobytes in range(floor + 1250, floor + 7000, 750):
        proc = subprocess.run(
            [complete, "expl"], capture_output=True, text=True, timeout=30, preexec_fn=_limited(kilobytes)
        )
        assert proc.returncode == 0 and proc.stderr == "", (kilobytes, proc.stderr)
        lines = proc.stdout.splitlines()
        assert lines[-1:] == [":4"] and lines[:-1] in ([], [lines[0]]), (kilobytes, proc.stdout)
        assert lines[:-1] == [] or lines[0].startswith("explain\t"), (kilobytes, proc.stdout)


def test_a_broken_dependency_at_start_is_one_line(tmp_path: Path) -> None:
    """A module the CLI imports at start that fails to import (here argparse, shadowed by a broken one first on
    PYTHONPATH): one internal-error line, exit 1, no traceback."""
    (tmp_path / "argparse.py").write_text("raise ImportError('broken argparse')\n")
    plugin = shutil.which("kubectl-ovn_lsp")
    assert plugin is not None
    proc = subprocess.run(
        [plugin, "version"], capture_output=True, text=True, timeout=30, env={"PYTHONPATH": str(tmp_path)}
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (
        1,
        "",
        "error: internal error: ImportError: broken argparse (set KUBECTL_OVN_LSP_TRACEBACK=1 for details)\n",
    )


def test_the_krew_launcher_says_out_of_memory_as_the_plugin_does() -> None:
    """krew/launch.py keeps its own copy of the line for when not even the entry module can be loaded."""
    namespace: dict[str, object] = {}
    source = (ROOT / "krew" / "launch.py").read_text().replace('if __name__ == "__main__":', "if False:")
    exec(compile(source, "launch.py", "exec"), namespace)
    assert namespace["OUT_OF_MEMORY"] == OUT_OF_MEMORY
