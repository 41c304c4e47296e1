"""`triage -f`'s input as an attacker or a big cluster gives it (issue #15): the read streams (memory bounded
whatever the size), stops at `--limit-bytes` and says so, and a FIFO, a silent pipe or an endless device is bounded
by `--request-timeout`; a failure names the file, never the Kubernetes API. Through the real `kubectl ovn-lsp`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sandboxes import Sandbox, run_plugin

pytestmark = pytest.mark.clock  # klog dates against the clock

LOST = "E1127 10:00:00.120002       1 gc.go:476] lsp lost for pod vm-new.app, please delete the pod and retry"
BUDGET = 2.0
MARGIN = 2.0  # the promise: wall time <= --request-timeout + 2 s
RSS_BOUND_KB = 150_000  # measured ~20-50 MB; before the fix the whole input was held (1 GB log: 3.4 GB RSS)

# Runs the command and prints its exit code and peak RSS (kubectl execs the plugin: the child is the plugin).
MEASURE = (
    "import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
    "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)"
)


@pytest.fixture(scope="module")
def tg(sandbox_factory) -> Sandbox:
    return sandbox_factory("triage-gc-lines")


def _measured(sandbox: Sandbox, args: list[str], stdin: object, timeout: float = 60) -> tuple[int, int, str, str]:
    """(exit code, peak RSS in KiB, stdout, stderr without the measure line) of `kubectl ovn-lsp ARGS`."""
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, "kubectl", "ovn-lsp", *args],
        stdin=stdin,  # type: ignore[arg-type]
        capture_output=True,
        text=True,
        timeout=timeout,
        env=sandbox.env(),
    )
    *err, last = proc.stderr.strip().split("\n")
    code, rss = (int(word) for word in last.split())
    return code, rss, proc.stdout, "\n".join(err)


def _endless(line: str) -> subprocess.Popen:
    return subprocess.Popen(["yes", line], stdout=subprocess.PIPE)


def _one_error(code: int, err: str) -> str:
    assert code == 1 and len(err.splitlines()) == 1 and err.startswith("error: "), (code, err)
    assert "Traceback" not in err and "internal error" not in err and "Kubernetes API" not in err, err
    return err


def test_an_endless_log_on_stdin_is_bounded_in_time_and_memory(tg: Sandbox) -> None:
    writer = _endless(LOST)
    try:
        started = time.monotonic()
        code, rss, _, err = _measured(tg, ["triage", "-f", "-", "--request-timeout", f"{BUDGET:g}s"], writer.stdout)
        wall = time.monotonic() - started
    finally:
        writer.kill()
        writer.wait()
    assert "reading standard input did not finish within 2s (--request-timeout)" in _one_error(code, err)
    assert wall <= BUDGET + MARGIN, wall
    assert rss < RSS_BOUND_KB, rss


def test_limit_bytes_stops_an_endless_log_and_says_so(tg: Sandbox) -> None:
    writer = _endless(LOST)
    try:
        code, rss, out, err = _measured(
            tg, ["triage", "-f", "-", "--limit-bytes", "3000000", "--request-timeout", "0", "-o", "json"], writer.stdout
        )
    finally:
        writer.kill()
        writer.wait()
    assert code == 4, err  # vm-new.app: a false positive (FP3)
    document = json.loads(out)
    per_line = len(LOST) + 1
    assert document["summary"]["lines"] == 3000000 // per_line  # whole lines only: the cut one is dropped
    assert (
        "read the first 3000000 bytes of standard input (--limit-bytes): later lines were not read; its last line "
        "was cut there and is not read"
    ) in document["notes"]
    assert [(i["port"], i["count"]) for i in document["items"]] == [("vm-new.app", 3000000 // per_line)]
    assert rss < RSS_BOUND_KB, rss


@pytest.mark.parametrize("budget", ["2s", "0"])
def test_dev_zero_is_bounded_with_or_without_a_time_limit(tg: Sandbox, budget: str) -> None:
    """No line end, ever: memory stays one bounded line, and 64 MiB without a klog line is no log."""
    started = time.monotonic()
    code, rss, _, err = _measured(tg, ["triage", "-f", "/dev/zero", "--request-timeout", budget], None)
    assert time.monotonic() - started <= BUDGET + MARGIN
    assert _one_error(code, err) == (
        "error: '/dev/zero' (its first 64 MiB) holds no kube-ovn-controller log line (klog format, e.g. "
        "'E0319 09:14:58.247743 7 gc.go:430] …')"
    )
    assert rss < RSS_BOUND_KB, rss


def test_dev_zero_with_limit_bytes_is_not_a_log(tg: Sandbox) -> None:
    proc = run_plugin(tg, "triage", "-f", "/dev/zero", "--limit-bytes", "5000000")
    assert _one_error(proc.returncode, proc.stderr.strip()) == (
        "error: '/dev/zero' holds no kube-ovn-controller log line (klog format, e.g. 'E0319 09:14:58.247743 7 "
        "gc.go:430] …')"
    )


def test_a_fifo_nobody_writes_is_bounded(tg: Sandbox, tmp_path: Path) -> None:
    fifo = tmp_path / "controller.fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    proc = run_plugin(tg, "triage", "-f", str(fifo), "--request-timeout", f"{BUDGET:g}s", timeout=30)
    assert time.monotonic() - started <= BUDGET + MARGIN
    line = _one_error(proc.returncode, proc.stderr.strip())
    assert line == f"error: reading '{fifo}' did not finish within 2s (--request-timeout)"


def test_a_fifo_is_read_when_written(tg: Sandbox, tmp_path: Path) -> None:
    fifo = tmp_path / "controller.fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"sleep 0.5; printf '%s\\n' '{LOST}' > {fifo}"])
    proc = run_plugin(tg, "triage", "-f", str(fifo), "--request-timeout", "10s", "-o", "json", timeout=30)
    writer.wait()
    assert proc.returncode == 4, proc.stderr
    assert [i["port"] for i in json.loads(proc.stdout)["items"]] == ["vm-new.app"]


def test_a_silent_pipe_is_bounded(tg: Sandbox) -> None:
    """A pipe whose writer stays open and never writes (`sleep 600 | kubectl ovn-lsp triage -f -`)."""
    writer = subprocess.Popen(["sleep", "600"], stdout=subprocess.PIPE)
    try:
        started = time.monotonic()
        proc = subprocess.run(
            ["kubectl", "ovn-lsp", "triage", "-f", "-", "--request-timeout", f"{BUDGET:g}s"],
            stdin=writer.stdout,
            capture_output=True,
            text=True,
            timeout=30,
            env=tg.env(),
        )
        assert time.monotonic() - started <= BUDGET + MARGIN
    finally:
        writer.kill()
        writer.wait()
    assert _one_error(proc.returncode, proc.stderr.strip()) == (
        "error: reading standard input did not finish within 2s (--request-timeout)"
    )


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda d: d, "is a directory"),
        (lambda d: d / "missing.log", "No such file or directory"),
        (lambda d: d / "file" / "below", "Not a directory"),
    ],
    ids=["directory", "missing", "below-a-file"],
)
def test_a_file_that_cannot_be_read_is_named(tg: Sandbox, tmp_path: Path, make, reason: str) -> None:
    (tmp_path / "file").write_text("x")
    path = make(tmp_path)
    proc = run_plugin(tg, "triage", "-f", str(path))
    assert _one_error(proc.returncode, proc.stderr.strip()) == f"error: cannot read '{path}': {reason}"


def test_a_read_error_names_the_file(tg: Sandbox) -> None:
    """EISDIR/EIO-like failures while reading, not opening: /proc/self/mem cannot be read at offset 0."""
    proc = run_plugin(tg, "triage", "-f", "/proc/self/mem")
    line = _one_error(proc.returncode, proc.stderr.strip())
    assert line.startswith("error: cannot read '/proc/self/mem': "), line
