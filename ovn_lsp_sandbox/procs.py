"""Sandbox processes by pid: alive, still ours, stopped. pids get reused and PID 1 reaps zombies late here,
so "alive" means running (not a zombie) and still the program we started, judged from /proc."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path


def is_ours(pid: int, needle: str, comm: str | None = None) -> bool:
    """`pid` runs (not a zombie), its command line contains `needle`, and its name is `comm` if given."""
    if not pid:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        name = Path(f"/proc/{pid}/comm").read_text().strip()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False
    if stat.rsplit(")", 1)[-1].split()[0] in ("Z", "X"):  # comm may contain spaces: the state follows ")"
        return False
    if comm is not None and name != comm:
        return False
    # An exiting process has lost its cmdline but is not a zombie yet: still alive.
    return cmdline == [b""] or any(needle.encode() in part for part in cmdline)


def terminate(pids: list[tuple[int, str, str | None]], sig: int = signal.SIGTERM, timeout: float = 5.0) -> list[int]:
    """Signal each (pid, needle, comm) that is still ours and wait; returns the pids still running after `timeout`."""
    targets = [(pid, needle, comm) for pid, needle, comm in pids if is_ours(pid, needle, comm)]
    for pid, _, _ in targets:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
    deadline = time.monotonic() + timeout
    while targets and time.monotonic() < deadline:
        targets = [t for t in targets if is_ours(*t)]
        if targets:
            time.sleep(0.01)
    return [pid for pid, _, _ in targets]


def stop(pids: list[tuple[int, str, str | None]], timeout: float = 5.0) -> None:
    """SIGTERM, then SIGKILL whatever is left."""
    left = set(terminate(pids, signal.SIGTERM, timeout))
    if left:
        terminate([p for p in pids if p[0] in left], signal.SIGKILL, timeout)
