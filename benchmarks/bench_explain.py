"""Benchmark: `kubectl ovn-lsp explain` against its physical floor, the manual workflow, and an earlier commit.

Floor (`floor.py`): the plugin's own requests for this explain — the same API paths, the same NB select through
the same exec, or the same selection as one transaction to the `--nb tcp:` remote — replayed with the Python
standard library only, from the plugin's own `-v` trace. The ratio explain/floor (the plugin run directly, as
the floor is) is what start-up, kubeconfig and auth, the model and rendering cost on top of the requests.
Manual = `kubectl get pod … -o json` then `kubectl exec … ovn-nbctl find Logical_Switch_Port
external_ids:pod=<ns>/<name>` (which downloads the whole table). Baseline = the same `kubectl ovn-lsp explain`
run by the plugin as it was at `--baseline` (default 935df65, before the cluster-wide replay; '' skips it): a git
worktree of that commit behind a `kubectl-ovn_lsp` launcher first on PATH, so kubectl runs it exactly like the
current one. All against the same generated sandbox, interleaved; medians (min-max) and ratios. Also `--help` and
`version` wall time. No thresholds: this reports, it does not assert.

    python3 benchmarks/bench_explain.py [--runs 7] [--spec pods=10000,vms=2000,lsps=50000] [--baseline 935df65]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import FLOOR, REPO, baseline_env, generated_sandbox, median, ovn_central_pod, run_measured, run_timed  # noqa: E402
from plans import write_plans  # noqa: E402

OK = (0, 3, 4, 5, 6)


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

    with tempfile.TemporaryDirectory(prefix="bench-explain-") as tmp, generated_sandbox(args.spec) as (env, state, up):
        base_env = baseline_env(env, args.baseline, Path(tmp)) if args.baseline else None
        try:
            target = pick_target(env)
            remote = state["nb"]["remotes"]
            central = ovn_central_pod(env, "app=ovn-central,ovn-nb-leader=true")
            words = ["explain", f"vm/{target['vm']}", "-n", target["ns"], "-o", "json"]
            plans = write_plans(["kubectl-ovn_lsp", *words], env, remote, Path(tmp))
            manual = [
                ["kubectl", "get", "pod", target["pod"], "-n", target["ns"], "-o", "json"],
                ["kubectl", "exec", "-n", "kube-system", central, "-c", "ovn-central", "--", "ovn-nbctl"]
                + ["--format=json", "find", "Logical_Switch_Port", f"external_ids:pod={target['ns']}/{target['vm']}"],
            ]
            sides: dict[str, tuple[list[list[str]], dict[str, str]]] = {
                "explain": ([["kubectl-ovn_lsp", *words]], env),
                "floor": ([[sys.executable, str(FLOOR), str(plans["exec"])]], env),
                "explain tcp": ([["kubectl-ovn_lsp", *words, "--nb", remote]], env),
                "floor tcp": ([[sys.executable, str(FLOOR), str(plans["tcp"])]], env),
                "kubectl ovn-lsp explain": ([["kubectl", "ovn-lsp", *words]], env),
                "manual": (manual, env),
                "--help": ([["kubectl", "ovn-lsp", "--help"]], env),
                "version": ([["kubectl", "ovn-lsp", "version"]], env),
            }
            if base_env is not None:
                sides[f"explain @{args.baseline}"] = ([["kubectl", "ovn-lsp", *words]], base_env)
            for argvs, e in sides.values():  # warm the discovery cache, the page cache and bytecode of every side
                for argv in argvs:
                    run_measured(argv, e, OK)
            walls: dict[str, list[float]] = {name: [] for name in sides}
            cpus: dict[str, list[float]] = {name: [] for name in sides}
            for _ in range(args.runs):  # interleaved, so drift hits every side alike
                for name, (argvs, e) in sides.items():
                    measured = [run_timed(argv, e, OK) for argv in argvs]
                    walls[name].append(sum(m[0] for m in measured))
                    cpus[name].append(sum(m[2] for m in measured))
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(Path(tmp) / "baseline")],
                capture_output=True,
            )

    med = {name: median(values) for name, values in walls.items()}
    print(f"sandbox up --generate {args.spec}: {up:.2f}s")
    print(f"target: vm {target['ns']}/{target['vm']} (pod {target['pod']}), runs={args.runs}, medians (min-max)")
    for name, values in walls.items():
        print(
            f"  {name:28s} {med[name] * 1000:6.0f} ms ({min(values) * 1000:.0f}-{max(values) * 1000:.0f}), "
            f"CPU {median(cpus[name]) * 1000:.0f} ms"
        )
    print(f"ratio explain/floor          {med['explain'] / med['floor']:.2f}x (exec path, both run directly)")
    print(f"ratio explain/floor --nb tcp {med['explain tcp'] / med['floor tcp']:.2f}x")
    print(f"ratio kubectl ovn-lsp explain/manual {med['kubectl ovn-lsp explain'] / med['manual']:.2f}x")
    if base_env is not None:
        b = med[f"explain @{args.baseline}"]
        print(f"ratio now/@{args.baseline}       {med['kubectl ovn-lsp explain'] / b:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
