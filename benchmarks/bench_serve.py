"""Benchmark: `kubectl ovn-lsp serve` against `audit -A`, in one interleaved run on one generated cluster.

Reported (never asserted), for a cluster of 10,000 pods, 2,000 VMs and 50,000 ports with a 10,000-line controller
log (by default):
- a cycle (`ovn_lsp_cycle_duration_seconds`: the lists, the NB read over exec, the replay, the Audit document and
  its JSON, the metric view, the log read) against `kubectl-ovn_lsp audit -A` (wall time of the process, start-up
  included), run between two cycles so they never overlap: the ratio of their medians;
- a scrape of /metrics (the whole body over HTTP): median and worst, while idle and while a cycle runs;
- the monitor's RSS (/proc VmRSS) after the first cycle and after the 20th: their ratio (each cycle runs in a
  process of its own, forked from a fork server: serve/worker.py);
- the memory of the whole monitor (the monitor, its fork server and the cycle process: the sum of their PSS, which
  counts pages they share once), sampled while cycles run and between them, and the RSS peak of one `audit -A`
  (rusage): what the Deployment's memory request and limit are sized from.

    python3 benchmarks/bench_serve.py [--spec pods=10000,vms=2000,lsps=50000,loglines=10000,lognames=2000]
                                      [--cycles 20] [--audits 5]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import generated_sandbox, median, run_measured  # noqa: E402

AUDIT_OK = (0, 3, 4, 5, 6)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scrape(url: str) -> tuple[float, str]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read().decode()
    return time.perf_counter() - started, body


def sample(body: str, name: str) -> float | None:
    match = re.search(rf"^{re.escape(name)} (\S+)$", body, re.MULTILINE)
    return float(match.group(1)) if match else None


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def tree_pss_mb(pid: int) -> float:
    """The PSS of `pid` and every process below it (shared pages counted once)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    tree, frontier = {pid}, {pid}
    while frontier:
        frontier = {c for c, p in parents.items() if p in frontier} - tree
        tree |= frontier
    total = 0
    for member in tree:
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


PEAK = [0.0]  # the largest tree PSS seen while polling


def wait_cycle(url: str, done: int, timeout: float, pid: int) -> tuple[str, list[float]]:
    """Poll /metrics (every 0.25 s) until `ovn_lsp_cycles_total` reaches `done`; returns the last body and the
    scrape times taken while waiting (scrapes during a cycle); samples the monitor's memory meanwhile."""
    deadline = time.monotonic() + timeout
    times = []
    while time.monotonic() < deadline:
        PEAK[0] = max(PEAK[0], tree_pss_mb(pid))
        try:
            took, body = scrape(url)
        except OSError:  # not listening yet (start-up)
            time.sleep(0.1)
            continue
        times.append(took)
        if (sample(body, "ovn_lsp_cycles_total") or 0) >= done:
            return body, times
        time.sleep(0.25)
    raise RuntimeError(f"cycle {done} did not end within {timeout:g}s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", default="pods=10000,vms=2000,lsps=50000,loglines=10000,lognames=2000")
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--audits", type=int, default=5)
    args = parser.parse_args()
    with generated_sandbox(args.spec) as (env, _state, up):
        audit = ["kubectl-ovn_lsp", "audit", "-A", "--request-timeout", "0"]
        warm, _ = run_measured(audit, env, ok_codes=AUDIT_OK)  # warms caches on both sides
        interval = max(10.0, 2.5 * warm + 3)
        port = free_port()
        url = f"http://127.0.0.1:{port}/metrics"
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as log:
            serve = subprocess.Popen(
                ["kubectl-ovn_lsp", "serve", "--listen", f"127.0.0.1:{port}", "--interval", f"{interval:g}s",
                 "--request-timeout", "0"],
                stdout=subprocess.DEVNULL, stderr=log, env=env,
            )  # fmt: skip
        try:
            cycles, audits, audit_rss, busy, idle = [], [], [], [], []
            rss_first = rss_last = idle_pss = 0.0
            for n in range(1, args.cycles + 1):
                body, during = wait_cycle(url, n, timeout=interval + 10 * warm + 60, pid=serve.pid)
                busy += during[:-1]  # the last scrape saw the cycle done
                cycles.append(sample(body, "ovn_lsp_cycle_duration_seconds") or 0.0)
                if n == 1:
                    rss_first = rss_mb(serve.pid)
                rss_last = rss_mb(serve.pid)
                idle_pss = tree_pss_mb(serve.pid)
                if n % 2 == 0 and len(audits) < args.audits:  # between two cycles: never overlapping one
                    wall, peak = run_measured(audit, env, ok_codes=AUDIT_OK)
                    audits.append(wall)
                    audit_rss.append(peak)
                for _ in range(10):
                    idle.append(scrape(url)[0])
        finally:
            serve.terminate()
            serve.wait(timeout=10)
            os.unlink(log.name)
    cycle, full = median(cycles[1:]), median(audits)  # the first cycle also imports and warms
    print(f"--generate {args.spec} (up in {up:.1f}s), {args.cycles} cycles every {interval:g}s, {len(audits)} audits")
    print(f"  cycle   median {cycle:.2f}s (first {cycles[0]:.2f}s; all {', '.join(f'{c:.2f}' for c in cycles)})")
    print(f"  audit -A median {full:.2f}s wall (start-up included), peak RSS {max(audit_rss):.0f} MB")
    print(f"  ratio cycle / audit -A: {cycle / full:.2f}x")
    print(
        f"  scrape  idle median {1000 * statistics.median(idle):.1f} ms, worst {1000 * max(idle):.1f} ms "
        f"({len(idle)} scrapes); during a cycle median {1000 * statistics.median(busy or [0]):.1f} ms, "
        f"worst {1000 * max(busy or [0]):.1f} ms ({len(busy)} scrapes)"
    )
    print(
        f"  RSS after cycle 1 {rss_first:.0f} MB, after cycle {args.cycles} {rss_last:.0f} MB: "
        f"{rss_last / rss_first:.2f}x"
    )
    print(f"  memory of the whole monitor (PSS): {idle_pss:.0f} MB between cycles, peak {PEAK[0]:.0f} MB during one")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
