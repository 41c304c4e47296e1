"""Benchmark: `kubectl ovn-lsp audit -A` against its physical floor, from 1k to 30k pods.

Floor (`floor.py`, measured in the same run, interleaved): the plugin's own requests — the same API paths and
pages, the same NB select through the same exec, or the same transaction to the same `--nb tcp:` remote —
replayed with the Python standard library only (http.client, json, a minimal WebSocket reader). The plan comes
from the plugin's own `-v` trace of this run, so both sides move the same bytes from the same servers. The ratio
audit/floor is what the plugin's own work costs: kubeconfig and auth, the replay, rendering.
Also reported: the plugin's peak RSS (and per 1,000 pods), the floor's, the API requests of one audit, and
optionally (`--kubectl`) the `kubectl get … -o json` + `kubectl exec ovsdb-client query` fetch of earlier figures.
No thresholds: this reports, it does not assert.

    python3 benchmarks/bench_audit.py [--runs 3] [--specs SPEC …] [--kubectl] [--plugin-args '--chunk-size 500']
                                      [--baseline REF]  (REF's audit in the same loop: before/after)
    (default: 1k pods; 10k pods with a 10,000-line controller log over 2,000 port names, for triage's ratio to
    audit; 30k pods)
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    FLOOR,
    baseline_env,
    generated_sandbox,
    median,
    ovn_central_pod,
    remove_baseline,
    run_measured,
    run_timed,
    spread,
)  # noqa: E402
from plans import temp_workdir, write_plans  # noqa: E402

OK = (0, 3, 4, 5)
SELECT_ALL = json.dumps(
    [
        "OVN_Northbound",
        {
            "op": "select",
            "table": "Logical_Switch_Port",
            "where": [],
            "columns": ["_uuid", "name", "type", "external_ids", "addresses", "options"],
        },
    ]
)


def kubectl_commands(env: dict[str, str]) -> list[list[str]]:
    central = ovn_central_pod(env)
    return [
        ["kubectl", "get", "pods", "-A", "-o", "json"],
        ["kubectl", "get", "vm,vmi", "-A", "-o", "json"],
        ["kubectl", "exec", "-n", "kube-system", central, "-c", "ovn-central", "--"]
        + ["ovsdb-client", "query", "unix:/var/run/ovn/ovnnb_db.sock", SELECT_ALL],
    ]


def requests_of_one_audit(env: dict[str, str], extra: list[str]) -> dict[str, int]:
    proc = subprocess.run(["kubectl-ovn_lsp", "audit", "-A", "-v", *extra], env=env, capture_output=True, text=True)
    lines = [line for line in proc.stderr.splitlines() if line.startswith("I kube: ")]
    lists = [line for line in lines if re.search(r"[?&]limit=", line)]
    return {
        "requests": len(lines),
        "paged list requests": len(lists),
        "exec": sum(1 for line in lines if line.startswith("I kube: EXEC ") and "done" not in line),
    }


def pods_of(spec: str) -> int:
    return int(re.search(r"pods=(\d+)", spec).group(1))  # type: ignore[union-attr]


def measure(spec: str, runs: int, with_kubectl: bool, extra: list[str], baseline: str) -> dict[str, object]:
    with generated_sandbox(spec) as (env, state, up), temp_workdir() as work:
        try:
            return _measure(spec, runs, with_kubectl, extra, baseline, env, state, up, Path(work))
        finally:
            if baseline:
                remove_baseline(Path(work))


def _measure(
    spec: str,
    runs: int,
    with_kubectl: bool,
    extra: list[str],
    baseline: str,
    env: dict[str, str],
    state: dict,
    up: float,
    work: Path,
) -> dict[str, object]:
    remote = state["nb"]["remotes"]
    audit = ["kubectl-ovn_lsp", "audit", "-A", *extra]
    plans = write_plans(audit, env, remote, work)
    sides = {
        "floor": [sys.executable, str(FLOOR), str(plans["exec"])],
        "audit": audit,
        "floor tcp": [sys.executable, str(FLOOR), str(plans["tcp"])],
        "audit tcp": audit + ["--nb", remote],
    }
    envs = dict.fromkeys(sides, env)
    if baseline:  # the same commands by the plugin at `baseline`, in the same loop
        base_env = baseline_env(env, baseline, work)
        for name in ("audit", "audit tcp"):
            sides[f"{name} @{baseline}"], envs[f"{name} @{baseline}"] = sides[name], base_env
    if with_kubectl:
        sides["kubectl"], envs["kubectl"] = kubectl_commands(env), env  # type: ignore[assignment]
    if "loglines=" in spec:
        sides["triage"], envs["triage"] = ["kubectl-ovn_lsp", "triage", *extra], env
    for name, argv in sides.items():  # warm caches (page cache, bytecode, kubectl discovery) on every side
        for one in argv if isinstance(argv[0], list) else [argv]:
            run_measured(one, envs[name], ok_codes=OK + (6,))
    walls: dict[str, list[float]] = {name: [] for name in sides}
    rss: dict[str, list[float]] = {name: [] for name in sides}
    cpus: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(runs):  # interleaved: drift and other jobs hit every side alike
        for name, argv in sides.items():
            measured = [
                run_timed(one, envs[name], ok_codes=OK + (6,)) for one in (argv if name == "kubectl" else [argv])
            ]
            walls[name].append(sum(m[0] for m in measured))
            rss[name].append(max(m[1] for m in measured))
            cpus[name].append(sum(m[2] for m in measured))
    return {
        "spec": spec,
        "up": up,
        "walls": walls,
        "cpus": cpus,
        "rss": {name: max(values) for name, values in rss.items()},
        "requests": requests_of_one_audit(env, extra),
    }


def report(r: dict, runs: int) -> None:
    walls, rss = r["walls"], r["rss"]
    med = {name: median(values) for name, values in walls.items()}
    per_k = 1000 / pods_of(r["spec"])
    print(f"--generate {r['spec']} (up in {r['up']:.1f}s), runs={runs} interleaved, medians (min-max)")
    print(
        f"  floor      {med['floor']:6.2f}s {spread(walls['floor'])}  peak RSS {rss['floor']:.0f} MB "
        "(stdlib replay, exec)"
    )
    print(
        f"  audit      {med['audit']:6.2f}s {spread(walls['audit'])}  peak RSS {rss['audit']:.0f} MB "
        f"({rss['audit'] * per_k:.1f} MB per 1,000 pods)  audit/floor {med['audit'] / med['floor']:.2f}x"
    )
    print(f"  floor tcp  {med['floor tcp']:6.2f}s {spread(walls['floor tcp'])}  peak RSS {rss['floor tcp']:.0f} MB")
    print(
        f"  audit tcp  {med['audit tcp']:6.2f}s {spread(walls['audit tcp'])}  peak RSS {rss['audit tcp']:.0f} MB  "
        f"audit/floor {med['audit tcp'] / med['floor tcp']:.2f}x (--nb tcp:)"
    )
    cpu = {name: median(values) for name, values in r["cpus"].items()}
    print(
        f"  client CPU (user+sys, median): floor {cpu['floor']:.2f}s, audit {cpu['audit']:.2f}s "
        f"(+{cpu['audit'] - cpu['floor']:.2f}s); floor tcp {cpu['floor tcp']:.2f}s, audit tcp {cpu['audit tcp']:.2f}s "
        f"(+{cpu['audit tcp'] - cpu['floor tcp']:.2f}s)"
    )
    for name in [n for n in med if "@" in n]:
        floor = med["floor tcp" if "tcp" in name else "floor"]
        print(
            f"  {name:10s} {med[name]:6.2f}s {spread(walls[name])}  peak RSS {rss[name]:.0f} MB  "
            f"{name.split(' @')[0]}/floor {med[name] / floor:.2f}x, CPU {median(r['cpus'][name]):.2f}s (before)"
        )
    if "kubectl" in med:
        print(
            f"  kubectl get pods,vm,vmi -A -o json + exec ovsdb-client query: {med['kubectl']:.2f}s "
            f"(audit/kubectl {med['audit'] / med['kubectl']:.2f}x)"
        )
    if "triage" in med:
        print(
            f"  triage     {med['triage']:6.2f}s {spread(walls['triage'])}  "
            f"triage/audit {med['triage'] / med['audit']:.2f}x"
        )
    print(f"  API requests of one audit: {r['requests']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--specs",
        nargs="+",
        default=[
            "pods=1000,vms=200,lsps=5000",
            "pods=10000,vms=2000,lsps=50000,loglines=10000,lognames=2000",
            "pods=30000,vms=6000,lsps=150000",
        ],
    )
    parser.add_argument("--kubectl", action="store_true", help="also time the kubectl fetch of the same data")
    parser.add_argument("--plugin-args", default="", help="extra flags for the plugin, e.g. '--request-timeout 0'")
    parser.add_argument(
        "--baseline", default="", help="also run the plugin at this git ref, interleaved (before/after)"
    )
    args = parser.parse_args()
    for spec in args.specs:
        report(measure(spec, args.runs, args.kubectl, args.plugin_args.split(), args.baseline), args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
