"""The upgrade preflight (`model/upgrade.py`, issue #18) without servers: one inventory replayed at the running
release and at the target. Expectations are literals (docs/kube-ovn-facts.md: DEL2 in v1.14.0–v1.14.4, DEL1 in
v1.12.0–v1.12.3, the startup double run before v1.13.0)."""

from __future__ import annotations

import pytest

from kubectl_ovn_lsp.model import upgrade as u
from kubectl_ovn_lsp.model.errors import UncheckedRelease
from kubectl_ovn_lsp.model.replay import replay
from kubectl_ovn_lsp.model.triage import is_routine, severity_key
from kubectl_ovn_lsp.model.versions import Version
from tests.unit import scenarios
from tests.unit.factories import settings
from tests.unit.test_replay import inventory_of

PORT = "vm1.vmns.nad-a.vmns.ovn"


def _preflight(target: str, running: str = "v1.13.4", **snapshot_kw: object) -> u.Upgrade:
    """tc5's stopped VM (a bare networkName, no template annotation) with its ports retained."""
    snapshot = scenarios.tc5(running=False, **snapshot_kw)  # type: ignore[arg-type]
    inventory = inventory_of(snapshot)
    base = settings(running, keep_vm_ip=True, enable_external_vpc=True)
    before = replay(inventory, snapshot.nb_ports, base)
    return u.upgrade(inventory, snapshot.nb_ports, base, target, before=before)


def test_v1_14_2_deletes_the_stopped_vms_attachment_port() -> None:
    found = _preflight("v1.14.2")
    assert found.changes == (
        u.Change(
            "vmns",
            "VirtualMachine",
            "vm1",
            u.Outcome("ok"),
            u.Outcome("deletion-risk", ("DEL2",)),
            (u.PortChange(PORT, u.Outcome("ok"), u.Outcome("deletion-risk", ("DEL2",))),),
        ),
    )
    assert found.verdict == "deletion-risk" and found.changes[0].worse
    assert (found.new_would_delete, found.new_lost_logged, found.owners) == ((PORT,), (), 1)
    start = found.first_start
    assert (start.gc, start.startup_double_run, start.deletes_at_once, start.deletes_after_interval) == (
        True,
        False,
        (),
        (PORT,),
    )
    assert start.message == (
        f"The target's first GC run at start only marks; the next, 360 s later (--gc-interval), deletes 1 port: {PORT}."
    )


def test_v1_14_5_changes_nothing() -> None:
    found = _preflight("v1.14.5")
    assert (found.changes, found.verdict, found.new_would_delete) == ((), "ok", ())


def test_a_release_with_the_startup_double_run_deletes_at_once() -> None:
    """v1.12.2 (DEL1: a bare networkName) runs markAndCleanLSP twice at start."""
    found = _preflight("v1.12.2")
    assert [(c.name, c.after) for c in found.changes] == [("vm1", u.Outcome("deletion-risk", ("DEL1",)))]
    assert (found.first_start.startup_double_run, found.first_start.deletes_at_once) == (True, (PORT,))
    assert found.first_start.message == (
        f"The target runs GC twice back to back at start (gcLogicalSwitchPort): it deletes 1 port at once: {PORT}."
    )


def test_better_is_not_worse() -> None:
    """From v1.14.2 with the port already deleted (deletion-risk DEL2) to v1.14.5 (GC expects it: lost, LOST2 as
    the VM is stopped): the owner changes, nothing gets worse, so the upgrade's verdict is ok (exit 0)."""
    found = _preflight("v1.14.5", running="v1.14.2", nb_multus=False)
    assert [(c.before, c.after, c.worse) for c in found.changes] == [
        (u.Outcome("deletion-risk", ("DEL2",)), u.Outcome("lost", ("LOST2",)), False)
    ]
    assert (found.verdict, found.new_lost_logged) == ("ok", (PORT,))


def test_flags_the_deployment_set_keep_their_value_the_others_take_the_targets_defaults() -> None:
    explicit = settings("v1.13.4", keep_vm_ip=True, enable_external_vpc=True)
    assert u.target_settings(explicit, "v1.14.5").enable_external_vpc is True
    defaulted = settings("v1.13.4", keep_vm_ip=True)
    assert defaulted.enable_external_vpc is True  # v1.13's default
    moved = u.target_settings(defaulted, "v1.14.5")
    assert (moved.enable_external_vpc, moved.band, moved.version_text, moved.detected_from) == (
        False,
        "I",
        "v1.14.5",
        "flags",
    )


def test_a_target_past_the_checked_tags_says_what_stands_in() -> None:
    moved = u.target_settings(settings("v1.13.4"), "v1.16.9")
    assert (moved.behaviour_of, moved.version_assumed) == ("v1.16.2 + release-1.16 head", True)
    assert moved.notes and "v1.16.2" in moved.notes[0]


def test_a_target_older_than_every_checked_release_is_refused() -> None:
    with pytest.raises(UncheckedRelease) as raised:
        u.target_settings(settings("v1.13.4"), "v1.6.0")
    assert str(raised.value).startswith("--upgrade-to v1.6.0: older than every release this plugin checked")


def test_the_survey_names_the_first_safe_release_of_each_branch() -> None:
    snapshot = scenarios.tc5(running=False)
    inventory = inventory_of(snapshot)
    base = settings("v1.14.2", keep_vm_ip=True, enable_external_vpc=True)
    survey = u.survey(inventory, snapshot.nb_ports, base, before=replay(inventory, snapshot.nb_ports, base))
    rows = {str(r.release): (r.owners, r.verdict, r.first_safe_on_branch) for r in survey.rows}
    assert list(rows) == [
        "v1.7.3",
        "v1.8.18",
        "v1.9.41",
        "v1.10.10",
        "v1.11.24",
        "v1.12.35",
        "v1.13.15",
        "v1.14.41",
        "v1.15.24",
        "v1.16.2",
        "v1.17.0",  # master
    ]
    assert rows["v1.14.41"] == ({"ok": 1}, "ok", Version(1, 14, 5))
    assert rows["v1.15.24"] == ({"ok": 1}, "ok", Version(1, 15, 0))
    assert rows["v1.13.15"] == ({"ok": 1}, "ok", None)  # an older branch than the running one: not searched
    assert survey.first_safe == Version(1, 14, 5)


@pytest.mark.parametrize(
    "verdicts,order",
    [
        (
            [("ok", "a"), ("lost", "b"), ("deletion-risk", "c"), ("false-positive", "d"), ("degraded", "e")],
            ["c", "b", "e", "d", "a"],
        ),
        ([("lost", "z"), ("lost", "a"), ("stale", "m")], ["a", "z", "m"]),
    ],
)
def test_triage_text_order_is_most_severe_first(verdicts: list[tuple[str, str]], order: list[str]) -> None:
    assert [p for _, p in sorted(verdicts, key=lambda vp: severity_key(*vp))] == order


def test_routine_names_are_the_ones_without_a_finding() -> None:
    assert [v for v in ("ok", "stale", "no-port", "lost", "false-positive") if is_routine(v)] == [
        "ok",
        "stale",
        "no-port",
    ]
