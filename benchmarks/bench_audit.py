"""Benchmark: `kubectl ovn-lsp audit -A` against the raw fetch floor, and how it grows from 1k to 10k pods.

Floor (measured in the same run, interleaved): `kubectl get pods -A -o json` + `kubectl get vm,vmi -A -o json`
+ one `ovsdb-client query` of every Logical_Switch_Port through `kubectl exec` into ovn-central: the bytes any
audit has to move. Audit: `kubectl ovn-lsp audit -A` through kubectl (exec path), and with `--nb tcp:`.
Reported: medians, the ratio to the floor, peak RSS of the plugin process, and the API requests of one audit
(from `-v`). No thresholds: this reports, it does not assert.

    python3 benchmarks/bench_audit.py [--runs 3] [--specs SPEC …]   (default: 1k pods, then 10k pods with a
    10,000-line controller log over 2,000 port names, for triage's ratio to audit)
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import generated_sandbox, median, ovn_central_pod, run_measured  # noqa: E402

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


def floor_commands(env: dict[str, str]) -> list[list[str]]:
    central = ovn_central_pod(env)
    return [
        ["kubectl", "get", "pods", "-A", "-o", "json"],
        ["kubectl", "get", "vm,vmi", "-A", "-o", "json"],
        [
            "kubectl",
            "exec",
            "-n",
            "kube-system",
            central,
            "-c",
            "ovn-central",
            "--",
            "ovsdb-client",
            "query",
            "unix:/var/run/ovn/ovnnb_db.sock",
            SELECT_ALL,
        ],
    ]


def requests_of_one_audit(env: dict[str, str]) -> dict[str, int]:
    proc = subprocess.run(["kubectl-ovn_lsp", "audit", "-A", "-v"], env=env, capture_output=True, text=True)
    lines = [line for line in proc.stderr.splitlines() if line.startswith("I kube: ")]
    lists = [line for line in lines if re.search(r"[?&]limit=", line)]
    return {
        "requests": len(lines),
        "paged list requests": len(lists),
        "exec": sum(1 for line in lines if line.startswith("I kube: EXEC ") and "done" not in line),
    }


def measure(spec: str, runs: int) -> dict[str, object]:
    with generated_sandbox(spec) as (env, state, up):
        audit = ["kubectl-ovn_lsp", "audit", "-A"]
        audit_tcp = audit + ["--nb", state["nb"]["remotes"]]
        floor = floor_commands(env)
        for argv in floor + [audit]:  # warm caches (kubectl discovery) on both sides
            run_measured(argv, env, ok_codes=(0, 3, 4, 5))
        triage = ["kubectl-ovn_lsp", "triage"] if "loglines=" in spec else None
        a_times, a_rss, t_times, t_rss, f_times, g_times = [], [], [], [], [], []
        for _ in range(runs):
            f_times.append(sum(run_measured(argv, env)[0] for argv in floor))
            wall, rss = run_measured(audit, env, ok_codes=(0, 3, 4, 5))
            a_times.append(wall)
            a_rss.append(rss)
            wall, rss = run_measured(audit_tcp, env, ok_codes=(0, 3, 4, 5))
            t_times.append(wall)
            t_rss.append(rss)
            if triage:
                g_times.append(run_measured(triage, env, ok_codes=(0, 3, 4, 5, 6))[0])
        return {
            "spec": spec,
            "up": up,
            "floor": median(f_times),
            "audit": median(a_times),
            "rss": max(a_rss),
            "tcp": median(t_times),
            "tcp_rss": max(t_rss),
            "requests": requests_of_one_audit(env),
            "triage": median(g_times) if g_times else None,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--specs",
        nargs="+",
        default=["pods=1000,vms=200,lsps=5000", "pods=10000,vms=2000,lsps=50000,loglines=10000,lognames=2000"],
    )
    args = parser.parse_args()
    for spec in args.specs:
        r = measure(spec, args.runs)
        print(f"--generate {r['spec']} (up in {r['up']:.1f}s), runs={args.runs}")
        print(
            f"  floor  median {r['floor']:.2f}s (kubectl get pods -A -o json + get vm,vmi -A -o json + exec "
            "ovsdb-client query of every LSP)"
        )
        print(
            f"  audit  median {r['audit']:.2f}s, peak RSS {r['rss']:.0f} MB, ratio audit/floor "
            f"{r['audit'] / r['floor']:.2f}x (exec)"
        )  # type: ignore[operator]
        print(f"  audit --nb tcp: median {r['tcp']:.2f}s, peak RSS {r['tcp_rss']:.0f} MB")
        print(f"  API requests of one audit: {r['requests']}")
        if r["triage"]:
            print(
                f"  triage (the controller log of the spec) median {r['triage']:.2f}s, ratio triage/audit "
                f"{r['triage'] / r['audit']:.2f}x"
            )  # type: ignore[operator]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
