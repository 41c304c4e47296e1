"""GC cycles that cannot complete (issue #16 item 2; model/gc_delete.py, model/gc_cycle.py).

Expectations are the table read from the source tag by tag (docs/upstream-findings.md §12), as literals.
"""

from __future__ import annotations

import pytest

from kubectl_ovn_lsp.model.gc_delete import Outcome, delete_result
from kubectl_ovn_lsp.model.inventory import Inventory, by_name
from kubectl_ovn_lsp.model.records import NbPort, SwitchView
from kubectl_ovn_lsp.model.replay import replay
from tests.unit import factories as f

UUID = "u-stale"


def _port(ls: str | None) -> NbPort:
    ids = {"pod": "gone/old-pod", "vendor": "kube-ovn", **({"ls": ls} if ls is not None else {})}
    return NbPort("old-pod.gone", "", ids, ("00:00:00:aa:bb:01 10.16.0.50",), {}, UUID)


# switches: ovn-default holds the port, "other" exists and does not; "ghost" does not exist
VIEW = SwitchView({"ovn-default": frozenset({UUID}), "other": frozenset()}, True)
STATES = {"absent": None, "empty": "", "missing": "ghost", "wrong": "other", "right": "ovn-default"}


@pytest.mark.parametrize(
    "release,expected",
    [
        ("v1.11.24", {"absent": "deleted", "empty": "deleted", "missing": "deleted", "wrong": "deleted"}),
        ("v1.12.0", {"absent": "deleted", "empty": "deleted", "missing": "fails", "wrong": "no-op"}),
        ("v1.12.35", {"absent": "deleted", "empty": "deleted", "missing": "fails", "wrong": "no-op"}),
        ("v1.13.0", {"absent": "no-op", "empty": "fails", "missing": "deleted", "wrong": "no-op"}),
        ("v1.14.7", {"absent": "no-op", "empty": "fails", "missing": "deleted", "wrong": "no-op"}),
        ("v1.14.8", {"absent": "fails", "empty": "fails", "missing": "deleted", "wrong": "no-op"}),
        ("v1.14.23", {"absent": "fails", "empty": "fails", "missing": "deleted", "wrong": "no-op"}),
        ("v1.14.24", {"absent": "deleted", "empty": "deleted", "missing": "deleted", "wrong": "no-op"}),
        ("v1.15.0", {"absent": "deleted", "empty": "deleted", "missing": "deleted", "wrong": "no-op"}),
        ("v1.16.2", {"absent": "deleted", "empty": "deleted", "missing": "deleted", "wrong": "no-op"}),
        ("master", {"absent": "deleted", "empty": "deleted", "missing": "deleted", "wrong": "no-op"}),
    ],
)
def test_delete_outcome_per_release_and_ls_state(release, expected) -> None:
    b = f.settings(release).behaviour
    got = {state: delete_result(_port(ls), VIEW, b).outcome.value for state, ls in STATES.items() if state != "right"}
    assert got == expected
    assert delete_result(_port("ovn-default"), VIEW, b).outcome is Outcome.DELETED


def test_a_port_no_switch_holds_fails_the_lookup() -> None:
    lonely = SwitchView({"ovn-default": frozenset(), "other": frozenset()}, True)
    result = delete_result(_port(None), lonely, f.settings("v1.15.0").behaviour)
    assert (result.outcome, result.error) == (Outcome.FAILS, f"no LS found for LSP {UUID}")


def _cluster(release: str, blocker_ls: str | None):
    """A leftover port of a deleted pod (the #6103 shape), a live pod whose port is lost, and another stale port."""
    live = f.pod("web", "app", f.allocated("ovn", "ovn-default"))
    other = NbPort("older.gone", "", {"pod": "gone/older", "ls": "ovn-default", "vendor": "kube-ovn"}, (), {}, "u2")
    view = SwitchView({"ovn-default": frozenset({UUID, "u2"})}, True)
    inventory = Inventory(now=f.NOW, pods=(live,), subnets=by_name([f.subnet("ovn-default")]))
    return replay(inventory, [_port(blocker_ls), other], f.settings(release), switches=view)


def _finding(result, name):
    return next(p for i in result.items if i.judgement for p in i.judgement.ports if p.name == name)


def test_6103_blocker_stalls_gc_in_v1_14_8_and_the_cluster_finding_says_what_stops() -> None:
    result = _cluster("v1.14.8", None)
    [stall] = result.cluster
    expected = ("gc-stalled", "degraded", "GC1", ("old-pod.gone",))
    assert (stall.kind, stall.verdict, stall.reason, stall.ports) == expected
    text = " ".join(stall.detail)
    assert "empty logical switch name" in stall.summary
    assert "web.app" in text and "older.gone" in text  # the lost line it no longer logs, the deletion it skips
    assert "fixed in v1.14.24 on release-1.14" in " ".join(stall.advice)
    blocker = _finding(result, "old-pod.gone")
    assert (blocker.verdict, blocker.reason) == ("degraded", "GC1")
    assert _finding(result, "older.gone").verdict == "stale"


def test_a_stalled_cycle_logs_no_lost_line_and_deletes_nothing() -> None:
    """gc.go markAndCleanLSP (v1.14.22) returns at the failing delete (`return err`, line 496): its `lsp lost`
    loop (line 533) and `lastNoPodLSP = noPodLSP` (line 529) come after, so the cycle logs nothing lost and deletes
    no port marked since the stall began; what each item's GC does once cycles complete is unchanged."""
    stalled = _cluster("v1.14.8", None)
    assert (stalled.lost_logged, stalled.would_delete) == ((), ())
    items = {i.owner.name: i.judgement for i in stalled.items if i.judgement}
    assert items["web"].lost_logged == ("web.app",) and items["older"].would_delete == ("older.gone",)
    fixed = _cluster("v1.14.24", None)
    assert (fixed.lost_logged, fixed.would_delete) == (("web.app",), ("old-pod.gone", "older.gone"))
    noop = _cluster("v1.13.4", None)  # a delete that does nothing ends no cycle
    assert (noop.lost_logged, noop.would_delete) == (("web.app",), ("old-pod.gone", "older.gone"))


def test_the_same_port_is_a_no_op_before_v1_14_8_and_ordinary_clean_up_after_the_fix() -> None:
    before = _cluster("v1.13.4", None)
    assert [c.kind for c in before.cluster] == ["gc-delete-no-op"]
    assert (_finding(before, "old-pod.gone").verdict, _finding(before, "old-pod.gone").reason) == ("degraded", "GC2")
    fixed = _cluster("v1.14.24", None)
    assert fixed.cluster == () and _finding(fixed, "old-pod.gone").verdict == "stale"


def test_v1_12_fails_on_a_switch_that_does_not_exist_and_v1_13_does_not() -> None:
    assert [c.reason for c in _cluster("v1.12.20", "ghost").cluster] == ["GC4"]
    assert _cluster("v1.13.0", "ghost").cluster == ()


# ------------------------------------------------------------------------- the lines triage reads (§12, §15, §14)

from datetime import datetime, timezone  # noqa: E402

from kubectl_ovn_lsp.model.loglines import parse_line  # noqa: E402
from kubectl_ovn_lsp.model.triage import NameGroups, cluster_with_log  # noqa: E402

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
FAILED = "E1127 10:00:00.098013       1 gc.go:495] failed to delete lsp a.b: empty logical switch name"
GC_ERROR = "E1127 10:00:00.098105       1 controller.go:1287] gc lsp error: empty logical switch name"
SKIPPED = (
    "W1127 10:00:01.204477       1 kubevirt.go:187] VM pod demo/virt-launcher-vmx-bbbbb migration setup skipped, "
    "source node: node1, target node:  (migration job UID: u-1)"
)
KEPT = (
    "E1127 10:00:02.117730       1 pod.go:1955] deleting pod default/ipam-test net-attach-def net1 not found and "
    "cannot determine subnet, gc will clean its ip cr"
)


@pytest.mark.parametrize(
    "text,event,name,error,releases",
    [
        (FAILED, "delete-failed", "a.b", "empty logical switch name", "v1.14.7–v1.14.29"),
        (GC_ERROR, "gc-error", "", "empty logical switch name", "v1.14.4–v1.14.29"),
        (SKIPPED, "migration-skipped", "demo/virt-launcher-vmx-bbbbb", "source node node1, target node (none)",
         "v1.15.9–v1.15.24 and newer"),
        (KEPT, "ip-kept", "ipam-test.default.net1.default", "net-attach-def net1", "v1.16.0"),
    ],
)  # fmt: skip
def test_the_lines_of_a_cycle_that_ends_early_and_of_the_named_bugs(text, event, name, error, releases) -> None:
    line, is_klog = parse_line(text, NOW)
    assert is_klog and line is not None
    assert (line.event, line.name, line.error) == (event, name, error)
    assert line.releases[0].as_text() == releases


def test_failed_deletes_count_per_port_and_gc_errors_for_the_cluster_only() -> None:
    groups = NameGroups()
    for text in (FAILED, GC_ERROR, FAILED, GC_ERROR):
        line, _ = parse_line(text, NOW)
        assert line is not None
        groups.add(line)
    [named] = groups.result()
    assert (named.name, named.event, named.count) == ("a.b", "delete-failed", 2) and groups.gc_errors.count == 2
    [history] = cluster_with_log([], groups)  # nothing in NB fails now: the lines are history
    assert (history.kind, history.verdict, dict(history.logged)) == (
        "gc-stalled",
        "ok",
        {"delete-failed": 2, "gc-error": 2},
    )
