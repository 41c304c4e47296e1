"""Four mutants of the model that used to survive the whole suite and change a verdict (issue #15, mutation testing
on `model/`); each test below fails on its mutant. Expectations are literals read off Kube-OVN's source and the
verdict table's documented order, never computed by the code under test.

1. the severities of `lost` and `degraded` swapped (model/verdicts.py);
2. GC's list filter keeping out only `type=virtual` instead of every typed port (`ListNormalLogicalSwitchPorts`:
   `lsp.Type == ""`, pkg/ovs/ovn-nb-logical_switch_port.go, every release);
3. MIG3's check no longer needing `activation-strategy=rarp` (`SetLogicalSwitchPortMigrateOptions` sets both
   `requested-chassis` and `activation-strategy=rarp`);
4. FP1 given to every port GC's VM path expects of a VM with a Multus default network, not only to `<vm>.<ns>`.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import permutations

import pytest
from factories import NOW, multus_net, nad, nb_port, port, settings, verdicts, vm
from scenarios import tc4
from test_port_state_versions import ATTACH, at, migrating_vm

from kubectl_ovn_lsp.model.gc_list import gc_lists
from kubectl_ovn_lsp.model.lookups import judge
from kubectl_ovn_lsp.model.verdicts import exit_code, worst

# -- 1. severity order: deletion-risk > lost > degraded > leaked > false-positive (docs/contracts.md, "Exit codes") --

ORDER = ["deletion-risk", "lost", "degraded", "leaked", "false-positive"]


@pytest.mark.parametrize("words", list(permutations(ORDER, 2)), ids=lambda w: "+".join(w))
def test_the_worst_of_two_findings_follows_the_documented_order(words: tuple[str, str]) -> None:
    expected = min(words, key=ORDER.index)
    assert worst(list(words)) == expected


def test_lost_and_degraded_ports_of_one_workload_are_lost() -> None:
    """A migrating VM whose attachment port is degraded (MIG3) and whose primary port is missing: lost, exit 3."""
    snap = migrating_vm(primary=True)
    snap = replace(snap, nb_ports=tuple(p for p in snap.nb_ports if p.name != "vmv.fns"))
    j = judge(snap, at("v1.15.14"))  # a release whose missing options are MIG3 (docs/kube-ovn-facts.md)
    assert verdicts(j) == {"vmv.fns": ("lost", None), ATTACH: ("degraded", "MIG3")}
    assert (j.verdict, exit_code(j.verdict)) == ("lost", 3)


# -- 2. GC lists untyped ports only ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "port_type, listed",
    [("", True), ("virtual", False), ("router", False), ("localnet", False), ("vtep", False), ("l2gateway", False)],
)
@pytest.mark.parametrize("external_vpc", [False, True])
def test_gc_lists_only_ports_without_a_type(port_type: str, listed: bool, external_vpc: bool) -> None:
    p = nb_port("gone.app", "app", "gone", type=port_type)
    assert gc_lists(p, settings("v1.13.4", enable_external_vpc=external_vpc)) is listed


def test_a_typed_port_of_a_deleted_owner_is_no_orphan_gc_deletes() -> None:
    """Through the replay: GC never lists a router or localnet port, so it never deletes (or reports) one."""
    from kubectl_ovn_lsp.model.inventory import Inventory
    from kubectl_ovn_lsp.model.replay import replay

    ports = [
        nb_port("gone.app", "app", "gone"),
        nb_port("gone2.app", "app", "gone2", type="router"),
        nb_port("gone3.app", "app", "gone3", type="localnet"),
    ]
    result = replay(Inventory(now=NOW), ports, settings("v1.13.4"))
    assert result.would_delete == ("gone.app",)


# -- 3. MIG3 needs both migrate options -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"requested-chassis": "node1,node2"},  # the chassis pair without RARP activation
        {"requested-chassis": "node1,node2", "activation-strategy": "garp"},
    ],
    ids=["no-activation-strategy", "other-activation-strategy"],
)
def test_a_port_needs_rarp_activation_too(options: dict) -> None:
    j = judge(migrating_vm(options), at("v1.15.14"))
    assert verdicts(j)[ATTACH] == ("degraded", "MIG3")


# -- 4. FP1 is only <vm>.<ns> ----------------------------------------------------------------------------------------


def _multus_default_vm_with(network: dict, nad_obj: dict):
    """TC4's VM (only network: the Multus default subnet-a) with one more Multus network its launcher pod lacks."""
    snap = tc4()
    v = vm("vm-a", "test-ns", [multus_net("default", "subnet-a", default=True), network])
    return replace(snap, vm=v, nads={**snap.nads, ("test-ns", nad_obj["metadata"]["name"]): nad_obj})


def test_fp1_is_the_vm_name_port_only_fp2_for_a_non_kube_ovn_network() -> None:
    snap = _multus_default_vm_with(multus_net("nic2", "test-ns/mac"), nad("mac", "test-ns", "macvlan"))
    assert verdicts(judge(snap, settings("v1.13.4", keep_vm_ip=True))) == {
        "vm-a.test-ns": ("false-positive", "FP1"),
        "vm-a.test-ns.subnet-a.test-ns.ovn": ("ok", None),
        "vm-a.test-ns.mac.test-ns.ovn": ("false-positive", "FP2"),
    }


def test_a_network_the_launcher_does_not_use_yet_is_not_fp1() -> None:
    snap = _multus_default_vm_with(multus_net("nic2", "test-ns/net-c"), nad("net-c", "test-ns"))
    j = judge(snap, settings("v1.13.4", keep_vm_ip=True))
    assert verdicts(j)["vm-a.test-ns"] == ("false-positive", "FP1")
    assert verdicts(j)["vm-a.test-ns.net-c.test-ns.ovn"] == ("false-positive", None)
    assert "running launcher pod does not use it" in port(j, "vm-a.test-ns.net-c.test-ns.ovn").detail
