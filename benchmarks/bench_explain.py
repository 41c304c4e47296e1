"""Benchmark: `kubectl ovn-lsp explain` against the manual workflow an operator runs today.

Manual = `kubectl get pod … -o json` then `kubectl exec … ovn-nbctl find Logical_Switch_Port
external_ids:pod=<ns>/<name>` (which downloads the whole table). Both run against the same generated
sandbox (default 50,000 ports, 10,000 pods, 2,000 VMs), interleaved, and we print medians and the ratio.
Also `kubectl ovn-lsp --help` wall time. No thresholds: this reports, it does not assert.

    python3 benchmarks/bench_explain.py [--runs 7] [--spec pods=10000,vms=2000,lsps=50000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(argv: list[str], env: dict[str, str], ok_codes: tuple[int, ...] = (0,)) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if proc.returncode not in ok_codes:
        sys.exit(f"{' '.join(argv[:6])}… exited {proc.returncode}: {proc.stderr.strip()[-400:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--spec", default="pods=10000,vms=2000,lsps=50000")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-explain-") as tmp:
        state_dir = Path(tmp) / "sb"
        started = time.perf_counter()
        subprocess.run(["kubectl-ovn_lsp", "sandbox", "up", "--generate", args.spec, "--dir", str(state_dir)],
                       check=True, capture_output=True)
        up_seconds = time.perf_counter() - started
        try:
            state = json.loads((state_dir / "state.json").read_text())
            env = dict(os.environ, KUBECONFIG=state["kubeconfig"], KUBECACHEDIR=str(Path(tmp) / "cache"),
                       NO_COLOR="1")
            target = pick_target(env)
            central = subprocess.run(
                ["kubectl", "get", "pods", "-n", "kube-system", "-l", "app=ovn-central,ovn-nb-leader=true",
                 "-o", "jsonpath={.items[0].metadata.name}"], env=env, capture_output=True, text=True, check=True,
            ).stdout
            explain = ["kubectl", "ovn-lsp", "explain", f"vm/{target['vm']}", "-n", target["ns"], "-o", "json"]
            manual = [
                ["kubectl", "get", "pod", target["pod"], "-n", target["ns"], "-o", "json"],
                ["kubectl", "exec", "-n", "kube-system", central, "-c", "ovn-central", "--", "ovn-nbctl",
                 "--format=json", "find", "Logical_Switch_Port", f"external_ids:pod={target['ns']}/{target['vm']}"],
            ]
            timed(explain, env, ok_codes=(0, 3, 4, 5))  # warm the discovery cache for both sides
            for step in manual:
                timed(step, env)
            explain_times, manual_times, help_times = [], [], []
            for _ in range(args.runs):  # interleaved, so drift hits both sides alike
                explain_times.append(timed(explain, env, ok_codes=(0, 3, 4, 5)))
                manual_times.append(sum(timed(step, env) for step in manual))
                help_times.append(timed(["kubectl", "ovn-lsp", "--help"], env))
        finally:
            subprocess.run(["kubectl-ovn_lsp", "sandbox", "down", "--dir", str(state_dir)], capture_output=True)

    e, m, h = (statistics.median(x) for x in (explain_times, manual_times, help_times))
    print(f"sandbox up --generate {args.spec}: {up_seconds:.2f}s")
    print(f"target: vm {target['ns']}/{target['vm']} (pod {target['pod']}), runs={args.runs}")
    print(f"explain  median {e * 1000:.0f} ms")
    print(f"manual   median {m * 1000:.0f} ms (kubectl get pod + kubectl exec ovn-nbctl find)")
    print(f"ratio    explain/manual = {e / m:.2f}x")
    print(f"--help   median {h * 1000:.0f} ms (through kubectl)")
    return 0


def pick_target(env: dict[str, str]) -> dict[str, str]:
    """A VM of the generated cluster and its launcher pod."""
    pods = json.loads(subprocess.run(
        ["kubectl", "get", "pods", "-A", "-l", "kubevirt.io=virt-launcher", "-o", "json"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout)["items"]
    pod = pods[len(pods) // 2]
    vm = next(r["name"] for r in pod["metadata"]["ownerReferences"] if r["kind"] == "VirtualMachineInstance")
    return {"ns": pod["metadata"]["namespace"], "pod": pod["metadata"]["name"], "vm": vm}


if __name__ == "__main__":
    raise SystemExit(main())
