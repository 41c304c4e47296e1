"""Benchmark: reading one pod's/VM's ports out of a 50,000-port NB, three ways.

    python benchmarks/bench_nb_read.py [--ports 50000] [--runs 7] [--raft]

Compares (interleaved runs, medians): the direct path (`nb/direct.read_direct` of names and pod keys, conditional
monitoring) in this process and in a fresh interpreter (what one CLI call pays, imports included), the exec path's argv
(`ovsdb-client query` + parse), and the manual `ovn-nbctl find Logical_Switch_Port external_ids:pod=…`.
With `--raft` it also loads a 3-member cluster, kills the leader and times the first read from the survivors.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kubectl_ovn_lsp.model.records import Selection  # noqa: E402
from kubectl_ovn_lsp.nb.direct import read_direct  # noqa: E402
from kubectl_ovn_lsp.nb.query import selection_argv  # noqa: E402
from kubectl_ovn_lsp.nb.reply import parse_lookup  # noqa: E402
from ovn_lsp_sandbox.nb_content import PortSpec, SwitchSpec  # noqa: E402
from ovn_lsp_sandbox.nb_load import load_switches  # noqa: E402
from ovn_lsp_sandbox.nb_server import NbServer, kill_member, start_nb, stop_nb  # noqa: E402

SUBNETS = 10


def synthetic(total: int) -> list[SwitchSpec]:
    """Kube-OVN-style ports: pods `pod-N.ns-M` on `subnet-K`; every 5th pod is a VM with a Multus port too."""
    per = total // SUBNETS
    switches = []
    for s in range(SUBNETS):
        ports = []
        for i in range(per):
            n = s * per + i
            ns, pod = f"ns-{n // 2 % 200}", f"pod-{n // 2}"
            name = f"{pod}.{ns}" if n % 2 == 0 else f"{pod}.{ns}.subnet-{s}.{ns}.ovn"
            ports.append(
                PortSpec(
                    name=name,
                    addresses=[
                        f"00:00:{n >> 24 & 255:02x}:{n >> 16 & 255:02x}:{n >> 8 & 255:02x}:"
                        f"{n & 255:02x} 10.{s}.{i >> 8 & 255}.{i & 255}"
                    ],
                    external_ids={"vendor": "kube-ovn", "ls": f"subnet-{s}", "pod": f"{ns}/{pod}"},
                )
            )
        switches.append(SwitchSpec(name=f"subnet-{s}", external_ids={"vendor": "kube-ovn"}, ports=ports))
    return switches


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def bench_reads(server: NbServer, runs: int, total: int) -> None:
    n = total // 2  # a pod in the middle of the table
    ns, pod = f"ns-{n // 2 % 200}", f"pod-{n // 2}"
    names, keys = [f"{pod}.{ns}"], [f"{ns}/{pod}"]
    selection = Selection.of(names, keys)
    argv = selection_argv(selection, timeout=10, endpoint=f"unix:{server.unix_socket}")
    fresh = [
        sys.executable,
        "-c",
        f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})\n"
        "from kubectl_ovn_lsp.model.records import Selection\n"
        "from kubectl_ovn_lsp.nb.direct import read_direct\n"
        f"print(len(read_direct({server.remotes!r}, Selection.of({names!r}, {keys!r}), 10).ports))",
    ]
    nbctl = [
        "ovn-nbctl",
        f"--db=unix:{server.unix_socket}",
        "--format=csv",
        "--data=bare",
        "--no-heading",
        "--columns=name,type,external_ids",
        "find",
        "Logical_Switch_Port",
        f"external_ids:pod={keys[0]}",
    ]
    methods: dict[str, Callable[[], int]] = {
        "nb_direct (in process)": lambda: len(read_direct(server.remotes, selection, 10).ports),
        "nb_direct (fresh python)": lambda: int(
            subprocess.run(fresh, capture_output=True, text=True, check=True).stdout
        ),
        "ovsdb-client query argv": lambda: len(
            parse_lookup(subprocess.run(argv, capture_output=True, text=True, check=True).stdout)[0]
        ),
        "ovn-nbctl find": lambda: len(
            subprocess.run(nbctl, capture_output=True, text=True, check=True).stdout.splitlines()
        ),
    }
    times: dict[str, list[float]] = {k: [] for k in methods}
    for _ in range(runs):  # interleaved, so drift hits every method alike
        for label, fn in methods.items():
            dt, found = timed(fn)
            assert found == 2, f"{label} found {found} ports, expected 2"
            times[label].append(dt)
    base = statistics.median(times["ovn-nbctl find"])
    print(f"\nreads of one pod key + one name, {runs} interleaved runs, medians:")
    for label, values in times.items():
        med = statistics.median(values)
        print(f"  {label:26s} {med * 1000:8.1f} ms   {med / base:5.2f}x ovn-nbctl find")


def bench_raft(total: int) -> None:
    with tempfile.TemporaryDirectory(prefix="nbraft") as d:
        dt, server = timed(lambda: start_nb(d, cluster_size=3))
        print(f"\nraft: 3 members up in {dt:.3f} s (leader nb{server.leader})")
        try:
            dt, _ = timed(lambda: load_switches(server.unix_socket, synthetic(total)))
            print(f"raft: loaded {total} ports in {dt:.2f} s")
            kill_member(server, server.leader)
            dt, found = timed(lambda: read_direct(server.remotes, Selection.of(["pod-0.ns-0"], ["ns-0/pod-0"]), 10))
            print(f"raft: first read after killing the leader {dt * 1000:.1f} ms via {found.endpoint}")
        finally:
            stop_nb(server.to_dict())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--raft", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nbbench") as d:
        dt, server = timed(lambda: start_nb(d))
        print(f"standalone NB up in {dt * 1000:.0f} ms ({server.remotes})")
        try:
            switches = synthetic(args.ports)
            dt, result = timed(lambda: load_switches(server.unix_socket, switches))
            print(f"loaded {result.ports} ports on {result.switches} switches in one transact: {dt:.2f} s")
            bench_reads(server, args.runs, args.ports)
        finally:
            stop_nb(server.to_dict())
    if args.raft:
        bench_raft(args.ports)


if __name__ == "__main__":
    main()
