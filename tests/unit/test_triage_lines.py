"""Triage's pure half: every log form, both GC lines in every wording, the gc.go line table on every tag it names
(and on releases newer than any checked one), grouping, and the judgement of each event class."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kubectl_ovn_lsp.model import gc_lines, loglines, triage
from kubectl_ovn_lsp.model.gc_lines import logs_at, releases
from kubectl_ovn_lsp.model.inventory import Inventory, by_key
from kubectl_ovn_lsp.model.log_events import DELETED, LOST
from kubectl_ovn_lsp.model.loglines import parse_line, scan
from kubectl_ovn_lsp.model.replay import replay
from kubectl_ovn_lsp.model.triage import OwnerIndex, group, judge_events, line_notes
from kubectl_ovn_lsp.model.versions import parse_version
from tests.unit import scenarios
from tests.unit.factories import nb_port, settings, vm, vmi

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
LOST_TEXT = "lsp lost for pod vm-a.test-ns, please delete the pod and retry"


@pytest.mark.parametrize(
    "text, event, name, when, assumed",
    [
        (f"E0319 09:14:58.247743       7 gc.go:430] {LOST_TEXT}", LOST, "vm-a.test-ns", "2026-03-19T09:14:58", True),
        (
            f"2025-03-19T09:14:58.247743123Z E0319 09:14:58.247743 7 gc.go:430] {LOST_TEXT}",
            LOST,
            "vm-a.test-ns",
            "2025-03-19T09:14:58",
            False,
        ),  # kubectl logs --timestamps: the year is known
        (
            "2026-03-19T09:14:58.1+02:00 stderr F I0319 07:14:58.100000 1 gc.go:493] "
            "gc logical switch port p.ns with uuid 5f0c2a9e-1b2c-4d3e-8f9a-0b1c2d3e4f5a",
            DELETED,
            "p.ns",
            "2026-03-19T07:14:58",
            False,
        ),  # CRI file, W2
        (
            "I0319 09:14:58.247743       1 gc.go:513] gc logical switch port vmd.fns",
            DELETED,
            "vmd.fns",
            "2026-03-19T09:14:58",
            True,
        ),
        (
            '{"log":"E0319 09:14:58.2 7 gc.go:430] '
            + LOST_TEXT
            + '\\n","stream":"stderr","time":"2024-03-19T09:14:58.2Z"}',
            LOST,
            "vm-a.test-ns",
            "2024-03-19T09:14:58",
            False,
        ),  # a log store's JSON export
        (f"E1231 23:59:59.000001 7 gc.go:430] {LOST_TEXT}", LOST, "vm-a.test-ns", "2025-12-31T23:59:59", True),
    ],
)
def test_every_log_form(text, event, name, when, assumed) -> None:
    found, is_klog = parse_line(text, NOW)
    assert is_klog and found is not None
    assert (found.event, found.name, found.when.strftime("%Y-%m-%dT%H:%M:%S"), found.year_assumed) == (
        event,
        name,
        when,
        assumed,
    )


@pytest.mark.parametrize(
    "text, klog",
    [
        ("I0319 09:14:58.247743 7 pod.go:1234] gc logical switch port p.ns", True),  # pod.go says it too: not GC
        ("W0319 09:14:58.247743 7 gc.go:430] something else entirely", True),
        ("E0319 09:14:58.247743 7 gc.go:430] lsp lost for pod", True),  # truncated
        ("-------------------------------------------------------------------------------", False),
        ("\ufffd\ufffd binary \x00 noise", False),
        ("", False),
    ],
)
def test_other_lines_are_skipped_not_errors(text: str, klog: bool) -> None:
    assert parse_line(text, NOW) == (None, klog)


def test_scan_counts_and_since() -> None:
    lines = [
        f"E0319 09:0{m}:00.000000 7 gc.go:430] lsp lost for pod a{m}.ns, please delete the pod and retry"
        for m in range(5)
    ] + ["garbage", "I0319 09:00:00.0 1 controller.go:1] started"]
    result = scan(lines, NOW, since=datetime(2026, 3, 19, 9, 3, tzinfo=timezone.utc))
    assert [g.name for g in result.lines] == ["a3.ns", "a4.ns"]
    # three GC lines are older than --since (counted apart), two lines are not GC lines at all
    assert (result.klog_lines, result.skipped, result.before_since, result.year_assumed) == (6, 2, 3, True)


def test_known_lines_of_the_reported_releases() -> None:
    assert [r.as_text() for r in releases(LOST, 430)] == ["v1.13.4–v1.13.14"]
    assert [r.as_text() for r in releases(DELETED, 436)] == ["v1.14.0–v1.14.6"]  # #5556's report: gc.go:436
    assert [r.as_text() for r in releases(LOST, 553)] == ["v1.16.0–v1.16.2 and newer"]
    assert releases(LOST, 385) == [] and releases(DELETED, 999) == []


def test_releases_newer_than_any_checked_one() -> None:
    assert logs_at(LOST, 553, parse_version("v1.16.9")) and logs_at(DELETED, 513, parse_version("v1.16.9"))
    assert logs_at(LOST, 564, parse_version("v1.15.30")) and not logs_at(LOST, 538, parse_version("v1.15.30"))
    assert logs_at(LOST, 562, parse_version("v1.17.0"))  # a master build (next release's number)
    assert logs_at(LOST, 562, None, master=True) and not logs_at(LOST, 553, None, master=True)
    assert not logs_at(LOST, 430, parse_version("v1.13.15"))  # a closed range stays closed
    assert gc_lines.newest_checked(parse_version("v1.16.9")) == "v1.16.2"
    assert gc_lines.newest_checked(parse_version("v1.16.2")) is None


def test_grouping_keeps_the_latest_kind_and_counts_it() -> None:
    lines = scan(
        [
            f"E0319 09:00:00.0 7 gc.go:430] {LOST_TEXT}",
            f"E0319 09:06:00.0 7 gc.go:430] {LOST_TEXT}",
            "I0319 09:12:00.0 7 gc.go:390] gc logical switch port vm-a.test-ns",
            "I0319 09:12:00.0 7 gc.go:390] gc logical switch port b.ns",
        ],
        NOW,
    ).lines
    a, b = group(lines)
    assert (a.name, a.event, a.count, a.gc_lines) == ("b.ns", DELETED, 1, (390,))
    assert (b.name, b.event, b.count, b.gc_lines) == ("vm-a.test-ns", DELETED, 1, (390,))
    assert b.last_seen == datetime(2026, 3, 19, 9, 12, tzinfo=timezone.utc)


def _triage(inventory: Inventory, ports: list, log: list[str], version: str = "v1.13.4"):
    s = settings(version, keep_vm_ip=True, enable_external_vpc=True)
    result = replay(inventory, ports, s)
    index = OwnerIndex(result, {p.name: p for p in ports})
    items = {g.name: judge_events(g, index, result) for g in group(scan(log, NOW).lines)}
    return items, line_notes(items.values(), s)


def test_each_event_class() -> None:
    tc4 = scenarios.tc4()
    inventory = Inventory(
        now=tc4.now, pods=tc4.pods, vms={("test-ns", "vm-a"): tc4.vm}, nads=dict(tc4.nads), subnets=tc4.subnets
    )
    log = [
        f"E0319 09:00:00.0 7 gc.go:430] {LOST_TEXT}",
        "E0319 09:00:00.0 7 gc.go:430] lsp lost for pod gone.ns, please delete the pod and retry",
        "I0319 09:00:00.0 7 gc.go:390] gc logical switch port vm-a.test-ns.subnet-a.test-ns.ovn",
        "I0319 09:00:00.0 7 gc.go:390] gc logical switch port old.ns",
    ]
    items, notes = _triage(inventory, list(tc4.nb_ports), log)
    fp = items["vm-a.test-ns"]
    assert (fp.verdict, fp.reason, fp.still_logged, fp.owner.kind, fp.owner.name) == (
        "false-positive",
        "FP1",
        True,
        "VirtualMachine",
        "vm-a",
    )
    assert (items["gone.ns"].verdict, items["gone.ns"].owner, items["gone.ns"].still_logged) == ("ok", None, False)
    # deleted, but present again now and needed: not a risk any more
    assert items["vm-a.test-ns.subnet-a.test-ns.ovn"].verdict == "ok"
    assert (items["old.ns"].verdict, items["old.ns"].owner) == ("ok", None)
    assert notes == []  # v1.13.4 logs both lines exactly there


def test_a_deleted_port_a_stopped_vm_still_needs_is_a_deletion_risk() -> None:
    tc5 = scenarios.tc5(running=False, template_annotation="")
    inventory = Inventory(now=tc5.now, vms=by_key([tc5.vm]), nads=dict(tc5.nads), subnets=tc5.subnets)
    ports = [p for p in tc5.nb_ports if p.name == "vm1.vmns"]  # GC already deleted the attachment port
    items, notes = _triage(
        inventory, ports, ["I0319 09:00:00.0 7 gc.go:436] gc logical switch port vm1.vmns.nad-a.vmns.ovn"], "v1.14.2"
    )
    item = items["vm1.vmns.nad-a.vmns.ovn"]
    assert (item.verdict, item.reason, item.owner.name) == ("deletion-risk", "DEL2", "vm1")
    assert item.detail.startswith("GC already deleted a port this VirtualMachine uses")


def test_line_notes_for_unknown_lines_and_other_releases() -> None:
    inventory = Inventory(now=NOW, vms=by_key([vm("vm-x", "ns")]))
    _, notes = _triage(
        inventory,
        [nb_port("vm-x.ns", "ns", "vm-x")],
        [
            "E0319 09:00:00.0 7 gc.go:476] lsp lost for pod vm-x.ns, please delete the pod and retry",
            "E0319 09:00:00.0 7 gc.go:999] lsp lost for pod vm-x.ns, please delete the pod and retry",
        ],
    )
    assert any(
        "gc.go:476 (lsp lost) is logged there by v1.14.0–v1.14.6, not by the detected v1.13.4" in n for n in notes
    )
    assert any(n.startswith("gc.go:999 (lsp lost) is logged there by no checked release") for n in notes)


def test_a_deleted_port_that_is_back_and_deleted_again_is_still_a_risk() -> None:
    """A deletion line for a port GC deletes again now (re-created since): the three views agree on the port."""
    tc5 = scenarios.tc5(running=False, template_annotation="")
    inventory = Inventory(now=tc5.now, vms=by_key([tc5.vm]), nads=dict(tc5.nads), subnets=tc5.subnets)
    items, _ = _triage(
        inventory,
        list(tc5.nb_ports),
        ["I0319 09:00:00.0 7 gc.go:436] gc logical switch port vm1.vmns.nad-a.vmns.ovn"],
        "v1.14.2",
    )
    item = items["vm1.vmns.nad-a.vmns.ovn"]
    assert (item.verdict, item.reason) == ("deletion-risk", "DEL2")
    assert item.detail.startswith("GC deleted it before and will again")


def test_a_lost_node_port_gets_the_node_advice_not_the_pod_one() -> None:
    node = {"metadata": {"name": "node2", "annotations": {"ovn.kubernetes.io/allocated": "true"}}}
    items, _ = _triage(
        Inventory(now=NOW, nodes={"node2": node}),
        [],
        ["E0319 09:00:00.0 7 gc.go:430] lsp lost for pod node-node2, please delete the pod and retry"],
    )
    item = items["node-node2"]
    assert (item.verdict, item.owner.kind) == ("lost", "Node")
    assert "Restart kube-ovn-controller" in item.advice[0] and "inspectPod" not in " ".join(item.advice)


def test_a_name_whose_owner_depends_on_an_unreadable_kind_is_an_error_never_history() -> None:
    """VMs unreadable (403): the launcher pod's owner is an `error` item in the replay (audit -A says so), so its
    `lsp lost` line is one too, and a name no visible owner fits is unknown, not history (new user's report)."""
    tc4 = scenarios.tc4()
    inventory = Inventory(
        now=tc4.now,
        pods=tc4.pods,
        vmis=by_key([vmi("vm-a", "test-ns")]),
        nads=dict(tc4.nads),
        subnets=tc4.subnets,
        unreadable={"virtualmachines": "403"},
    )
    log = [
        f"E0319 09:00:00.0 7 gc.go:430] {LOST_TEXT}",
        "E0319 09:00:00.0 7 gc.go:430] lsp lost for pod gone.ns, please delete the pod and retry",
        "I0319 09:00:00.0 7 gc.go:390] gc logical switch port old.ns",
        "I0319 09:00:00.0 7 gc.go:390] gc logical switch port vm-a.test-ns.subnet-a.test-ns.ovn",
        "E0319 09:00:00.0 7 gc.go:430] lsp lost for pod node-node7, please delete the pod and retry",
        "E0319 09:00:00.0 7 gc.go:495] failed to delete lsp gone2.ns: empty logical switch name",
    ]
    items, _ = _triage(inventory, list(tc4.nb_ports), log)
    got = {name: (i.verdict, i.detail) for name, i in items.items()}
    assert got == {
        "vm-a.test-ns": (
            "error",
            "virtualmachineinstance test-ns/vm-a: cannot be judged: virtualmachines could not be read",
        ),
        "vm-a.test-ns.subnet-a.test-ns.ovn": (
            "error",
            "virtualmachineinstance test-ns/vm-a: cannot be judged: virtualmachines could not be read",
        ),
        "gone.ns": ("error", "cannot tell who owns gone.ns: virtualmachines could not be read"),
        "old.ns": ("error", "cannot tell who owns old.ns: virtualmachines could not be read"),
        # Nodes were read (none): a node port's line is still history
        "node-node7": ("ok", "nothing owns this name any more and NB has no such port: the line is history"),
        # a failed delete of a port NB no longer has is history whoever owned it
        "gone2.ns": (
            "ok",
            "GC's delete of this port failed (each failure ended a GC cycle early); it is gone from NB now: the "
            "line is history",
        ),
    }
    assert not items["vm-a.test-ns"].still_logged and items["vm-a.test-ns"].advice == ()


def test_unreadable_nodes_or_ip_crs_leave_their_lines_unjudged() -> None:
    items, _ = _triage(
        Inventory(now=NOW, unreadable={"nodes": "403", "ips": "the kubeovn.io IP CRD is not served"}),
        [],
        [
            "E0319 09:00:00.0 7 gc.go:430] lsp lost for pod node-node2, please delete the pod and retry",
            "I0319 09:00:00.0 7 gc.go:390] gc logical switch port p.ns",
            "W0319 09:00:00.0 7 pod.go:1000] deleting pod ns/p net-attach-def ns/n not found and cannot "
            "determine subnet, gc will clean its ip cr",
        ],
    )
    assert {name: (i.verdict, i.detail) for name, i in items.items()} == {
        "node-node2": ("error", "cannot tell who owns node-node2: nodes could not be read"),
        "p.ns": ("ok", "ordinary clean-up: its owner no longer exists"),
    } | {n: ("error", f"cannot tell who owns {n}: ips could not be read") for n in items if n.startswith("p.ns.")}
    assert len(items) == 3


# -- streaming (issue #15): lines at \n only, bounded memory, --limit-bytes -----------------------------------------


def _split(chunks: list[bytes], **kwargs) -> tuple[list[str], loglines.LineSplit]:
    split = loglines.LineSplit(**kwargs)
    return list(split.lines(chunks)), split


def test_lines_end_at_newline_only_whatever_the_chunks() -> None:
    data = "a\r\nb\x85c\rd\n\u00e9t\u00e9\nlast".encode()
    for size in (1, 2, 3, 7, len(data)):  # é is two bytes: chunks cut it in the middle
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        assert _split(chunks)[0] == ["a", "b\x85c\rd", "\u00e9t\u00e9", "last"]


def test_limit_bytes_stops_reading_and_drops_the_cut_line() -> None:
    lines, split = _split([b"one\ntwo\nthr", b"ee\nfour\n"], limit=10)
    assert lines == ["one", "two"] and split.reached and split.cut_line and split.bytes_read == 10
    lines, split = _split([b"one\ntwo\n", b"three\n"], limit=8)  # the limit at a line's end cuts nothing
    assert lines == ["one", "two"] and split.reached and not split.cut_line
    lines, split = _split([b"one\ntwo\n"], limit=100)
    assert lines == ["one", "two"] and not split.reached


def test_a_line_longer_than_the_bound_is_skipped_as_it_arrives() -> None:
    zeros = [b"\0" * 64] * 10  # /dev/zero: no newline ever
    lines, split = _split([b"ok\n", *zeros, b"\0\nafter\n"], max_line=100)
    assert lines == ["ok", "after"] and split.long_lines == 1
    lines, split = _split([b"ok\n", *zeros], max_line=100)
    assert lines == ["ok"] and split.long_lines == 1


def test_grouping_streamed_lines_keeps_one_summary_per_name() -> None:
    now = datetime(2026, 11, 27, 12, tzinfo=timezone.utc)
    line = "E1127 10:0{}:00.1 1 gc.go:476] lsp lost for pod vm-a.ns, please delete the pod and retry"
    groups = triage.NameGroups()
    scan = loglines.scan((line.format(n % 10) for n in range(5000)), now, sink=groups.add)
    assert (scan.gc_lines, scan.lines, len(groups)) == (5000, [], 1)
    (only,) = groups.result()
    assert (only.name, only.event, only.count, only.gc_lines) == ("vm-a.ns", "lost", 5000, (476,))
    assert (only.first_seen.minute, only.last_seen.minute) == (0, 9)
