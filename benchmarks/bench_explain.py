"""Benchmark: `kubectl ovn-lsp explain` against the manual workflow, and against the explain of an earlier commit.

Manual = `kubectl get pod … -o json` then `kubectl exec … ovn-nbctl find Logical_Switch_Port
external_ids:pod=<ns>/<name>` (which downloads the whole table). Baseline = the same `kubectl ovn-lsp explain`
run by the plugin as it was at `--baseline` (default 935df65, before the cluster-wide replay): a git worktree
of that commit behind a `kubectl-ovn_lsp` launcher first on PATH, so kubectl runs it exactly like the current
one. All against the same generated sandbox, interleaved; medians and ratios. Also `--help` wall time.
No thresholds: this reports, it does not assert.

    python3 benchmarks/bench_explain.py [--runs 7] [--spec pods=10000,vms=2000,lsps=50000] [--baseline 935df65]
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
from common import REPO, generated_sandbox, median, ovn_central_pod, run_measured  # noqa: E402

OK = (0, 3, 4, 5, 6)


def baseline_env(env: dict[str, str], commit: str, tmp: Path) -> dict[str, str]:
    """An environment whose `kubectl-ovn_lsp` is the plugin at `commit`."""
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


def pick_target(env: dict[str, str]) -> dict[str, str]:
    """A VM of the generated cluster and its launcher pod."""
    pods = json.loads(
        subprocess.run(
            ["kubectl", "get", "pods", "-A", "-l", "kubevirt.io=virt-launcher", "-o", "json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )["items"]
    pod = pods[len(pods) // 2]
    vm = next(r["name"] for r in pod["metadata"]["ownerReferences"] if r["kind"] == "VirtualMachineInstance")
    return {"ns": pod["metadata"]["namespace"], "pod": pod["metadata"]["name"], "vm": vm}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--spec", default="pods=10000,vms=2000,lsps=50000")
    parser.add_argument("--baseline", default="935df65")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-explain-") as tmp, generated_sandbox(args.spec) as (env, _, up):
        base_env = baseline_env(env, args.baseline, Path(tmp))
        try:
            target = pick_target(env)
            central = ovn_central_pod(env, "app=ovn-central,ovn-nb-leader=true")
            explain = ["kubectl", "ovn-lsp", "explain", f"vm/{target['vm']}", "-n", target["ns"], "-o", "json"]
            manual = [
                ["kubectl", "get", "pod", target["pod"], "-n", target["ns"], "-o", "json"],
                [
                    "kubectl",
                    "exec",
                    "-n",
                    "kube-system",
                    central,
                    "-c",
                    "ovn-central",
                    "--",
                    "ovn-nbctl",
                    "--format=json",
                    "find",
                    "Logical_Switch_Port",
                    f"external_ids:pod={target['ns']}/{target['vm']}",
                ],
            ]
            for argv, e in [(explain, env), (explain, base_env)] + [(step, env) for step in manual]:
                run_measured(argv, e, OK)  # warm the discovery cache and the page cache for every side
            now, base, by_hand, helps = [], [], [], []
            for _ in range(args.runs):  # interleaved, so drift hits every side alike
                now.append(run_measured(explain, env, OK)[0])
                base.append(run_measured(explain, base_env, OK)[0])
                by_hand.append(sum(run_measured(step, env)[0] for step in manual))
                helps.append(run_measured(["kubectl", "ovn-lsp", "--help"], env)[0])
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(Path(tmp) / "baseline")],
                capture_output=True,
            )

    e, b, m, h = (median(x) for x in (now, base, by_hand, helps))
    print(f"sandbox up --generate {args.spec}: {up:.2f}s")
    print(f"target: vm {target['ns']}/{target['vm']} (pod {target['pod']}), runs={args.runs}")
    print(f"explain            median {e * 1000:.0f} ms")
    print(f"explain @{args.baseline}  median {b * 1000:.0f} ms  (ratio now/baseline {e / b:.2f}x)")
    print(f"manual             median {m * 1000:.0f} ms (kubectl get pod + kubectl exec ovn-nbctl find)")
    print(f"ratio              explain/manual = {e / m:.2f}x (baseline {b / m:.2f}x)")
    print(f"--help             median {h * 1000:.0f} ms (through kubectl)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
