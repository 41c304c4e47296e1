"""Why GC's expectation is a false alarm for this workload: the FP classes of docs/contracts.md ("Port verdicts
and reason codes"), decided once GC expects a name that the workload does not have and does not need."""

from __future__ import annotations

from kubectl_ovn_lsp.model.gc_vms import has_multus_default
from kubectl_ovn_lsp.model.nad import KIND_KUBE_OVN, NadClass, classify_nad
from kubectl_ovn_lsp.model.naming import OVN_PROVIDER
from kubectl_ovn_lsp.model.port_rows import Collected, Row
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.snapshot import FALSE_POSITIVE, Decision, WorkloadSnapshot


def false_positive(
    row: Row, col: Collected, snapshot: WorkloadSnapshot, settings: ControllerSettings, never_ran: bool
) -> Decision:
    """Which false alarm: GC's VM path (`_vm_path`: FP1, FP5, FP4, FP2, FP3), a VM spec network the running
    launcher pod does not use, or a pod's stale `allocated` annotation (`_pod_loop`: FP7)."""
    if row.from_vm_path and snapshot.vm is not None:
        found = _vm_path(row, col, snapshot, settings, never_ran)
        if found is not None:
            return found
    if row.vm_spec and col.live_pod:
        return (
            FALSE_POSITIVE,
            None,
            (
                "the VM's spec names this network, but its running launcher pod does not use "
                "it; GC's VM path expects the port now, Kube-OVN creates it when the VM restarts"
            ),
        )
    if any(e.expected for e in row.pod_entries):
        return _pod_loop(row, snapshot)
    return FALSE_POSITIVE, None, "GC expects this name, but the workload does not use such a port"


def _vm_path(
    row: Row, col: Collected, snapshot: WorkloadSnapshot, settings: ControllerSettings, never_ran: bool
) -> Decision | None:
    """A name only GC's VM path (`getVMLsps`) expects; None when none of its false alarms applies."""
    vm = snapshot.vm or {}
    primary = f"{col.vm_name}.{snapshot.namespace}"
    if row.name == primary and has_multus_default(vm):
        return (
            FALSE_POSITIVE,
            "FP1",
            (
                "GC adds <vm>.<ns> for every VM before v1.13.6/v1.14.0; this VM's only "
                "network is a Multus default network"
            ),
        )
    if row.name == primary and settings.non_primary_cni_mode:
        return (
            FALSE_POSITIVE,
            "FP5",
            ("GC expects <vm>.<ns>, but in --non-primary-cni-mode a VM has no default-network port"),
        )
    if row.family_base:
        return (
            FALSE_POSITIVE,
            "FP4",
            (
                "the NAD is attached more than once, so its ports carry an interface "
                "suffix (v1.16+); GC's VM path expects the un-suffixed name"
            ),
        )
    nad = row.intended.nad if row.intended else nad_class_of(row.network, snapshot, col)
    if row.provider != OVN_PROVIDER and (nad is None or nad.kind != KIND_KUBE_OVN):
        kind = (nad.cni_type or nad.kind) if nad else "unknown"
        return (
            FALSE_POSITIVE,
            "FP2",
            (
                f"GC's VM path appends .ovn to every Multus network; NAD {row.network} is "
                f"not a kube-ovn network ({kind}), so this port never exists"
            ),
        )
    if never_ran:
        return FALSE_POSITIVE, "FP3", "GC expects every port of a VM object; this VM has never run"
    return None


def _pod_loop(row: Row, snapshot: WorkloadSnapshot) -> Decision:
    """A name GC's pod loop expects from a pod's `allocated` annotation that the pod no longer uses."""
    pods = [p for p in snapshot.pods if p["metadata"]["name"] in {e.pod for e in row.pod_entries}]
    if any((p.get("spec") or {}).get("hostNetwork") for p in pods):
        return (
            FALSE_POSITIVE,
            "FP7",
            (
                "a hostNetwork pod carries allocated/logical_switch annotations; GC "
                "expects a port it never gets (hostNetwork skipped from v1.15.0)"
            ),
        )
    return (
        FALSE_POSITIVE,
        None,
        (
            f"the pod still carries {row.provider}.kubernetes.io/allocated, but its Multus "
            "annotations no longer ask for this network; inspectPod never repairs it"
        ),
    )


def nad_class_of(network: str, snapshot: WorkloadSnapshot, col: Collected) -> NadClass | None:
    """The class of the NAD behind `ns/name` (GC's VM path names networks without looking at the NAD)."""
    if "/" not in network:
        return None
    namespace, name = network.split("/", 1)
    if (namespace, name) not in snapshot.nads:
        return None
    return classify_nad(
        snapshot.nads[(namespace, name)], namespace, name, snapshot.subnets, ipam_by_type=col.behaviour.ipam_by_nad_type
    )
