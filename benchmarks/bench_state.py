"""Benchmark (issue #16): what reading IP CRs, `port_security` and every switch's ports, and judging port state, GC
delete outcomes and IP CRs cost `audit -A`, against the plugin before it, in one interleaved run.

Both sides run against one generated sandbox (default 10,000 pods / 2,000 VMs / 50,000 ports; the generator
derives an IP CR for every allocated network and every node): `kubectl ovn-lsp audit -A -o json` of this checkout,
and the same command of `--baseline REF` (default: the commit before issue #16's first landing), checked out into
a temporary git worktree and run with this venv's libraries (`python3 -m kubectl_ovn_lsp` with that tree first on
`PYTHONPATH`). Runs alternate (baseline, current, baseline, …) so drift hits both alike. Reported: medians, the
ratio, peak RSS, and how many IP CRs and ports the sandbox holds. No thresholds: this reports, it does not assert.

    python3 benchmarks/bench_state.py [--runs 5] [--spec pods=10000,vms=2000,lsps=50000] [--baseline REF]
        [--nb exec|tcp]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, generated_sandbox, median, run_measured  # noqa: E402

BASELINE = "92e32c1"  # main before issue #16's first code landing (port state, IP CRs, GC delete outcomes)


def _counts(env: dict[str, str]) -> dict[str, int]:
    out = {}
    for kind in ("ips.kubeovn.io", "pods"):
        proc = subprocess.run(
            ["kubectl", "get", kind, "-A", "-o", "name"], env=env, capture_output=True, text=True, check=True
        )
        out[kind] = len(proc.stdout.split())
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--spec", default="pods=10000,vms=2000,lsps=50000")
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--nb", choices=("exec", "tcp"), default="exec")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-state-") as tmp:
        tree = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), args.baseline], check=True,
                       capture_output=True)  # fmt: skip
        try:
            return _measure(args, tree)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], capture_output=True)


def _measure(args: argparse.Namespace, tree: Path) -> int:
    with generated_sandbox(args.spec) as (env, state, up):
        nb = ["--nb", state["nb"]["remotes"]] if args.nb == "tcp" else []
        current = [sys.executable, "-m", "kubectl_ovn_lsp", "audit", "-A", "-o", "json", *nb]
        base_env = dict(env, PYTHONPATH=str(tree) + os.pathsep + env.get("PYTHONPATH", ""))
        cur_env = dict(env, PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""))
        ok = (0, 3, 4, 5, 6, 7)
        run_measured(current, base_env, ok)  # warm both (kubectl discovery, page cache)
        run_measured(current, cur_env, ok)
        times: dict[str, list[float]] = {"baseline": [], "current": []}
        rss: dict[str, list[float]] = {"baseline": [], "current": []}
        for _ in range(args.runs):
            for side, side_env in (("baseline", base_env), ("current", cur_env)):
                seconds, peak = run_measured(current, side_env, ok)
                times[side].append(seconds)
                rss[side].append(peak)
        result = {
            "spec": args.spec,
            "nb": args.nb,
            "runs": args.runs,
            "sandbox up (s)": round(up, 1),
            "objects": _counts(env),
            "baseline": args.baseline,
            "audit -A median (s)": {side: round(median(v), 2) for side, v in times.items()},
            "peak RSS median (MB)": {side: round(median(v)) for side, v in rss.items()},
            "ratio current/baseline": round(median(times["current"]) / median(times["baseline"]), 3),
            "all runs (s)": {side: [round(t, 2) for t in v] for side, v in times.items()},
        }
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
