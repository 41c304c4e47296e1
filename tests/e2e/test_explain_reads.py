"""explain reads NB once (issue #19 item 3): the rows a port name or an orphan needs are planned together and read in
one query, counted in the `-v` trace (`I kube: EXEC …` for the exec path, `I nb: …` for a direct read).

The count per target is what the plan says (model/explain_plan.py), at a release whose delete never needs the
switches a port names nor a stall check (v1.11.24, ovn-nbctl): one read for an orphan's name, a port name that
resolves to an orphan's ports or to a node, and a workload; two for a port name that resolves to a workload (the
name's rows, then the workload's own); the ovn-central pods are listed once. Before, an orphan without IP CRs
(`acp-daemonset-m5wc5`, #5735's leftover port) read the same selection twice, `explain vmd.fns` read the name, each
reading's key, then the owner's ports, and every read listed the ovn-central pods again."""

from __future__ import annotations

import json

import pytest

from tests.sandboxes import Sandbox, run_plugin

OLD = ("--kube-ovn-version", "v1.11.24")


def _explain(sandbox: Sandbox, *args: str, direct: bool = False) -> tuple[dict, str]:
    nb = ("--nb", sandbox.nb_remotes) if direct else ()
    proc = run_plugin(sandbox, "explain", *args, *OLD, *nb, "-o", "json", "-v")
    assert proc.returncode in (0, 4, 5, 6), proc.stderr
    return json.loads(proc.stdout), proc.stderr


PROBE = '"where":[["_uuid","==",["uuid","00000000-0000-0000-0000-000000000000"]]]'  # a member's first answer


def _exec_reads(trace: str) -> int:
    """The reads (the pod's probe, one per command, is not one: asserted here)."""
    execs = [line for line in trace.splitlines() if line.startswith("I kube: EXEC ") and "ovsdb-client" in line]
    assert sum(PROBE in line for line in execs) == 1, execs
    return sum(PROBE not in line for line in execs)


def _pod_lists(trace: str) -> int:
    return sum(1 for line in trace.splitlines() if "labelSelector=app%3Dovn-central" in line)


@pytest.mark.parametrize(
    "target, kind, name, reads",
    [
        (("vmd", "-n", "fns"), "Orphan", "vmd", 1),  # its ports by pod key
        (("vmd.fns",), "Orphan", "vmd", 1),  # the name and every reading's key, at once
        (("vmd.fns.net-b.fns.ovn",), "Orphan", "vmd", 1),
        (("node-node1",), "Node", "node1", 1),  # the Node's selection holds its port name
    ],
)
def test_one_read_per_target(sandbox_factory, target: tuple[str, ...], kind: str, name: str, reads: int) -> None:
    sandbox = sandbox_factory("vm-deleted-orphan-ports")  # #5367: the VM fns/vmd is gone, its ports and IP CRs not
    document, trace = _explain(sandbox, *target)
    assert (document["target"]["kind"], document["target"]["name"]) == (kind, name)
    assert (_exec_reads(trace), _pod_lists(trace)) == (reads, 1), trace


def test_an_orphan_without_ip_crs_is_read_once(sandbox_factory) -> None:
    sandbox = sandbox_factory("gc-noop-port-without-ls")
    document, trace = _explain(sandbox, "acp-daemonset-m5wc5", "-n", "e2eproject")
    assert (document["target"]["kind"], document["target"]["name"]) == ("Orphan", "acp-daemonset-m5wc5")
    assert (_exec_reads(trace), _pod_lists(trace)) == (1, 1), trace
    document, trace = _explain(sandbox, "acp-daemonset-m5wc5.e2eproject")
    assert (document["target"]["kind"], document["target"]["name"]) == ("Orphan", "acp-daemonset-m5wc5")
    assert (_exec_reads(trace), _pod_lists(trace)) == (1, 1), trace


def test_a_port_name_of_a_workload_reads_the_name_then_the_workload(sandbox_factory) -> None:
    sandbox = sandbox_factory("tc4")
    document, trace = _explain(sandbox, "vm-a.test-ns.subnet-a.test-ns.ovn")
    assert (document["target"]["kind"], document["target"]["name"]) == ("VirtualMachine", "vm-a")
    assert (_exec_reads(trace), _pod_lists(trace)) == (2, 1), trace
    document, trace = _explain(sandbox, "vm-a", "-n", "test-ns")
    assert (_exec_reads(trace), _pod_lists(trace)) == (1, 1), trace


def test_the_direct_path_reads_once_too(sandbox_factory) -> None:
    sandbox = sandbox_factory("vm-deleted-orphan-ports")
    document, trace = _explain(sandbox, "vmd.fns", direct=True)
    assert (document["target"]["kind"], document["nb"]["via"]) == ("Orphan", "direct")
    assert [line for line in trace.splitlines() if line.startswith("I nb: ")] == [
        "I nb: select _uuid, name, type, external_ids, addresses, options, port_security from Logical_Switch_Port "
        "where name in ['vmd.fns'] or external_ids:pod in ['fns/vmd'] at " + sandbox.nb_remotes + " (transact … abort)"
    ]
