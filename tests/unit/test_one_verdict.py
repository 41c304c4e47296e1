"""One verdict per state (issue #18): a reason code always qualifies the verdict `reasons` lists it under, in every
release, and a port GC already deleted is the deletion-risk its DEL code names in explain, audit and triage alike.

Expectations are literals or the index users read (`reasons`), never the code under test's own output.
"""

from __future__ import annotations

import pytest

from kubectl_ovn_lsp.model.by_release import by_release, settings_at
from kubectl_ovn_lsp.model.reasons import BY_CODE
from kubectl_ovn_lsp.model.releases import known_releases
from kubectl_ovn_lsp.model.replay import replay
from kubectl_ovn_lsp.model.triage import NameEvents, OwnerIndex, judge_events
from tests.unit import scenarios
from tests.unit.factories import NOW, settings
from tests.unit.test_classes import fp2_snapshot, fp4_snapshot, fp5_snapshot
from tests.unit.test_replay import inventory_of

SNAPSHOTS = {
    "tc1": scenarios.tc1,
    "tc1-lost": lambda: scenarios.tc1(in_nb=False),
    "tc2": scenarios.tc2,
    "tc2-no-ports": lambda: scenarios.tc2(nb_names=()),
    "tc3": scenarios.tc3,
    "tc3-ls": lambda: scenarios.tc3(with_logical_switch=True),
    "tc4": scenarios.tc4,
    "tc4-stopped": lambda: scenarios.tc4(running=False),
    "tc5": scenarios.tc5,
    "tc5-stopped": lambda: scenarios.tc5(running=False),
    "tc5-stopped-deleted": lambda: scenarios.tc5(running=False, nb_multus=False),
    "tc5-stopped-empty-annotation": lambda: scenarios.tc5(running=False, template_annotation=""),
    "tc8": scenarios.tc8,
    "fp2": fp2_snapshot,
    "fp4-stopped": lambda: fp4_snapshot(running=False),
    "fp5": fp5_snapshot,
}


@pytest.mark.parametrize("name", sorted(SNAPSHOTS))
def test_every_reason_code_qualifies_the_verdict_it_is_listed_under(name: str) -> None:
    """Replayed at every checked release (each distinct behaviour once), no port carries a code under another
    verdict than the `reasons` table's: a `lost DEL2` or a `deletion-risk FP4` is a defect."""
    snapshot = SNAPSHOTS[name]()
    base = settings("v1.13.4", keep_vm_ip=True, enable_external_vpc=True)
    seen: set[object] = set()
    wrong = []
    for version in known_releases():
        at = settings_at(base, version)
        key = (at.behaviour, at.keep_vm_ip, at.enable_external_vpc, at.non_primary_cni_mode)
        if key in seen:
            continue
        seen.add(key)
        result = replay(inventory_of(snapshot), snapshot.nb_ports, at)
        for item in result.items:
            for port in item.judgement.ports if item.judgement else ():
                if port.reason is not None and BY_CODE[port.reason].verdict != port.verdict:
                    wrong.append(f"{version} {port.name}: {port.verdict} {port.reason}")
    assert wrong == []


def test_a_port_gc_already_deleted_is_one_verdict_in_the_three_views() -> None:
    """tc5's stopped VM at v1.14.2 after GC deleted its attachment port (DEL2): the replay (explain, audit) and
    triage's `deleted` event agree on deletion-risk DEL2; nothing is left to delete."""
    snapshot = scenarios.tc5(running=False, nb_multus=False)
    at = settings("v1.14.2", keep_vm_ip=True)
    result = replay(inventory_of(snapshot), snapshot.nb_ports, at)
    [item] = [i for i in result.items if i.owner.kind == "VirtualMachine"]
    port = next(p for p in item.judgement.ports if p.name == "vm1.vmns.nad-a.vmns.ovn")
    assert (port.verdict, port.reason, item.verdict) == ("deletion-risk", "DEL2", "deletion-risk")
    assert port.detail.startswith("already deleted (missing from NB, and GC does not expect it): GC failed to parse")
    assert result.would_delete == ()
    events = NameEvents("vm1.vmns.nad-a.vmns.ovn", "deleted", 1, NOW, NOW, (436,))
    triaged = judge_events(events, OwnerIndex(result, {p.name: p for p in snapshot.nb_ports}), result)
    assert (triaged.verdict, triaged.reason) == ("deletion-risk", "DEL2")
    assert triaged.detail.startswith("GC already deleted a port this VirtualMachine uses: GC failed to parse")


def test_a_deleted_line_from_before_an_upgrade_is_what_the_running_release_says() -> None:
    """The same deleted port once the controller runs v1.14.5 (GC expects it again): lost in every view, not a
    deletion-risk in triage alone; LOST2, the VM being stopped (nothing creates the port until it starts)."""
    snapshot = scenarios.tc5(running=False, nb_multus=False)
    result = replay(inventory_of(snapshot), snapshot.nb_ports, settings("v1.14.5", keep_vm_ip=True))
    events = NameEvents("vm1.vmns.nad-a.vmns.ovn", "deleted", 1, NOW, NOW, (436,))
    triaged = judge_events(events, OwnerIndex(result, {p.name: p for p in snapshot.nb_ports}), result)
    assert (triaged.verdict, triaged.reason) == ("lost", "LOST2")
    assert result.lost_logged == ("vm1.vmns.nad-a.vmns.ovn",)


def test_which_release_fixes_an_already_deleted_port_says_none_brings_it_back() -> None:
    """The advice no longer says "upgrade" beside "no checked release fixes this": no release re-creates the port,
    and GC stops deleting it from v1.14.5 on."""
    table = by_release(scenarios.tc5(running=False, nb_multus=False), settings("v1.14.2", keep_vm_ip=True))
    assert table.fix == (
        "Which release fixes this workload: none brings back vm1.vmns.nad-a.vmns.ovn (already deleted); GC no "
        "longer deletes it in every release from v1.14.5 on (by release: see byRelease)."
    )
    present = by_release(scenarios.tc5(running=False), settings("v1.14.2", keep_vm_ip=True))
    assert (
        present.fix == "Which release fixes this workload: every release from v1.14.5 on (by release: see byRelease)."
    )
