"""What the benchmarks share: a generated sandbox, timing a command (wall time and peak RSS), medians.

Benchmarks report; they never assert. Run them on an idle machine: every figure is a ratio of runs measured
side by side (interleaved) in one run, so drift hits both sides alike.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLOOR = Path(__file__).resolve().parent / "floor.py"  # the standard-library replay of a command's requests


@contextlib.contextmanager
def generated_sandbox(spec: str) -> Iterator[tuple[dict[str, str], dict, float]]:
    """(environment for kubectl, sandbox state, seconds `sandbox up` took) for `--generate spec`."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        state_dir = Path(tmp) / "sb"
        started = time.perf_counter()
        subprocess.run(
            ["kubectl-ovn_lsp-sandbox", "up", "--generate", spec, "--dir", str(state_dir)],
            check=True,
            capture_output=True,
        )
        up = time.perf_counter() - started
        try:
            state = json.loads((state_dir / "state.json").read_text())
            env = dict(os.environ, KUBECONFIG=state["kubeconfig"], KUBECACHEDIR=str(Path(tmp) / "cache"), NO_COLOR="1")
            yield env, state, up
        finally:
            subprocess.run(["kubectl-ovn_lsp-sandbox", "down", "--dir", str(state_dir)], capture_output=True)


def run_measured(argv: list[str], env: dict[str, str], ok_codes: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one process, read from its own rusage (not its parent's)."""
    wall, rss, _ = run_timed(argv, env, ok_codes)
    return wall, rss


def run_timed(argv: list[str], env: dict[str, str], ok_codes: tuple[int, ...] = (0,)) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds: user + system) of one process, from its own rusage. CPU is
    what the process itself spent, whatever else the machine runs: on a busy machine, compare it beside wall."""
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child: exec the command with output discarded
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in ok_codes:
        sys.exit(f"{' '.join(argv[:6])}… exited {code}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def baseline_env(env: dict[str, str], commit: str, tmp: Path) -> dict[str, str]:
    """An environment whose `kubectl-ovn_lsp` is the plugin at `commit` (a git worktree of it under tmp/baseline,
    run with this interpreter's libraries), for a before/after in one interleaved run. Remove the worktree with
    `remove_baseline(tmp)`."""
    tree = tmp / "baseline"
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), commit], check=True, capture_output=True
    )
    bindir = tmp / "bin"
    bindir.mkdir()
    launcher = bindir / "kubectl-ovn_lsp"
    launcher.write_text(f'#!/bin/sh\nPYTHONPATH="{tree}" exec "{sys.executable}" -m kubectl_ovn_lsp "$@"\n')
    launcher.chmod(0o755)
    return dict(env, PATH=f"{bindir}{os.pathsep}{env['PATH']}")


def remove_baseline(tmp: Path) -> None:
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tmp / "baseline")], capture_output=True
    )


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def spread(values: list[float]) -> str:
    """`(min-max)` of a list of seconds, to judge a median on a noisy machine."""
    return f"({min(values):.2f}-{max(values):.2f})"


def ovn_central_pod(env: dict[str, str], selector: str = "app=ovn-central") -> str:
    """Name of the first kube-system pod matching `selector`, as kubectl lists it (the bench's exec target)."""
    argv = ["kubectl", "get", "pods", "-n", "kube-system", "-l", selector, "-o", "jsonpath={.items[0].metadata.name}"]
    return subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout


__all__ = [
    "FLOOR",
    "REPO",
    "baseline_env",
    "remove_baseline",
    "generated_sandbox",
    "median",
    "ovn_central_pod",
    "run_measured",
    "run_timed",
    "spread",
]
