"""One port's verdict as GC sees it: does GC expect the name, does its NB list show the port, does the workload
need it (docs/contracts.md, "Port verdicts and reason codes"); `gc_verdict` is the decision table, `Pass` what
every step of a workload's judgement reads.

Split from `model/judge.py` (which settles the facts once per workload, adds the port-state and migration checks
and sums the findings up) so that the table and its detail texts read in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubectl_ovn_lsp.model import migration as mig
from kubectl_ovn_lsp.model.deletion import (
    RESERVED_LABEL,
    deletion_reason,
    leftover_detail,
    missing_subnet,
    stale_detail,
)
from kubectl_ovn_lsp.model.false_positives import false_positive
from kubectl_ovn_lsp.model.port_rows import Collected, Row
from kubectl_ovn_lsp.model.records import NbPort
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.snapshot import (
    DELETION_RISK,
    FALSE_POSITIVE,
    LOST,
    NO_PORT,
    OK,
    STALE,
    Decision,
    WorkloadSnapshot,
)

# A needed port missing from NB that the release does not expect: GC deleted it. Its verdict is the deletion-risk its
# DEL code names (docs/contracts.md, "Port verdicts and reason codes"), as triage's `deleted` events say.
ALREADY_DELETED = "already deleted (missing from NB, and GC does not expect it)"
# LOST2: only handleAddPod (pod.go) creates a workload's port, and inspectPod looks at live pods only, so a stopped
# VM's port stays missing until the VM starts (docs/kube-ovn-facts.md, "What repairs a missing port")
STOPPED_VM_PORT_LOST = (
    "the stopped VM's port is missing from NB and GC expects it: nothing creates a VM's port while it is stopped "
    "(VM names are never inspected); Kube-OVN creates it again when the VM starts"
)


@dataclass(frozen=True)
class Pass:
    """What every step of one workload's judgement reads: its rows, the NB ports attached to them, and the facts
    decided once (GC's vendor filter, whether the VM never ran, a running live migration)."""

    col: Collected
    nb: dict[str, NbPort]  # port name -> the NB row attached to this workload (`_attach_nb`)
    snapshot: WorkloadSnapshot
    settings: ControllerSettings
    never_ran: bool  # a VM with no allocation and no port keyed to it: Kube-OVN has created nothing yet
    vendor_filter: bool  # GC lists only vendor=kube-ovn ports (`ListNormalLogicalSwitchPorts`)
    migration: mig.Migration | None  # a live migration in progress, when GC or its handlers act on ports


def _future_vm_port_detail(col: Collected, never_ran: bool) -> str:
    if never_ran:
        return "the VM has never run: Kube-OVN creates this port when it starts; GC expects nothing yet"
    return "named by the VM's spec but not used by its running launcher pod: created when the VM restarts"


def gc_skips_delete(port: NbPort, col: Collected) -> bool:
    """≤v1.13 never deletes a port with options:arp_proxy=true (v1.14+ skips VIP ports, not workload ports)."""
    return not col.behaviour.vip_ports and port.options.get("arp_proxy") == "true"


def gc_verdict(step: Pass, row: Row, port: NbPort | None, listed: bool) -> Decision:
    """GC's view of one port: with GC off, only what is missing; else by whether GC expects the name and lists
    the port (docs/contracts.md, "Port verdicts and reason codes")."""
    if not step.col.gc_active:
        return _while_gc_is_off(row, port)
    if row.expected:
        return _expected(step, row, port, listed)
    if row.awaiting_allocation and not row.needed:
        return _awaiting_allocation(step, row, port, listed)
    if listed and port is not None:  # listed implies in NB
        return _listed_not_expected(step, row, port)
    return _neither(step, row, port)


def _while_gc_is_off(row: Row, port: NbPort | None) -> Decision:
    in_nb = port is not None
    if row.needed and not in_nb:
        return LOST, None, "needed by the workload but missing from NB (GC is not running, so it logs nothing)"
    if row.no_port and not in_nb:
        return NO_PORT, None, _no_port_detail(row)
    return OK, None, "present" if in_nb else "not a port of this workload"


def _expected(step: Pass, row: Row, port: NbPort | None, listed: bool) -> Decision:
    """GC expects the name: ok when it lists the port, FP6 when its filter hides it, else lost or a false alarm."""
    if port is not None and listed:
        return OK, None, _present_detail(port)
    if port is not None:
        return FALSE_POSITIVE, "FP6", _filtered_detail(port, step.col)
    if row.needed:
        if step.never_ran and row.from_vm_path:
            return FALSE_POSITIVE, "FP3", "GC expects every port of a VM object; this VM has never run"
        if row.young_pod:
            return LOST, "FP9", "missing from NB for a pod allocated under a minute ago; inspectPod re-creates it"
        if row.from_vm_path and not row.pod_entries and not step.col.live_pod:  # a stopped VM: LOST2
            return LOST, "LOST2", STOPPED_VM_PORT_LOST
        return LOST, None, _lost_detail(row, step.col)
    if row.no_port:
        return FALSE_POSITIVE, "FP8", _ipam_only_detail(step.col)
    return false_positive(row, step.col, step.snapshot, step.settings, step.never_ran)


def _ipam_only_detail(col: Collected) -> str:
    if col.behaviour.ovn_predicate == "none":
        return "IPAM-only attachment (no OVN port by design); v1.8.0 expects a port for every allocated provider"
    return (
        "IPAM-only attachment (no OVN port by design) whose subnet provider ends "
        'in "ovn", which GC\'s HasSuffix test before v1.13 takes for OVN'
    )


def _awaiting_allocation(step: Pass, row: Row, port: NbPort | None, listed: bool) -> Decision:
    """A network the pod asks for but is not allocated yet: a port GC deletes is a leftover, else nothing."""
    if port is not None and listed and not gc_skips_delete(port, step.col):
        detail = leftover_detail(row, port, step.col, step.snapshot, step.settings.enable_external_vpc)
        return STALE, None, detail
    return (
        OK,
        None,
        (
            "the pod asks for this network but is not allocated for it yet (Pending, or allocation is "
            "failing: see the kube-ovn-controller log); GC expects nothing until it is"
        ),
    )


def _listed_not_expected(step: Pass, row: Row, port: NbPort) -> Decision:
    """GC lists the port but does not expect it: it deletes it (a needed port: a DEL code), unless it keeps it."""
    col = step.col
    if gc_skips_delete(port, col):
        return OK, None, "not expected by GC, but kept: releases before v1.14 never delete arp_proxy ports"
    if row.needed:
        reason, detail = deletion_reason(row, col, step.snapshot)
        if col.behaviour.reserved_ip_label:
            detail += f"; label its IP CR {RESERVED_LABEL}=true to keep the address"
        return DELETION_RISK, reason, detail
    return STALE, None, stale_detail(col)


def _neither(step: Pass, row: Row, port: NbPort | None) -> Decision:
    """GC neither expects the name nor lists a port of it: what the workload needs decides."""
    if port is not None:
        return OK, None, "present; GC's list filter ignores it (type or vendor), so GC neither logs nor deletes it"
    if row.needed:
        subnet = missing_subnet(row, step.snapshot)
        if subnet is not None:
            return (
                LOST,
                "LOST1",
                (
                    f"missing from NB: the pod is allocated on Subnet {subnet}, which does not exist, so "
                    "no port can be created for it and GC does not expect one"
                ),
            )
        # GC deleted it (or deletes it on sight): the deletion-risk its DEL code names, in every view alike
        reason, detail = deletion_reason(row, step.col, step.snapshot)
        return DELETION_RISK, reason, f"{ALREADY_DELETED}: " + detail
    if row.no_port:
        return NO_PORT, None, _no_port_detail(row)
    if row.vm_spec:
        return OK, None, _future_vm_port_detail(step.col, step.never_ran)
    why = "; ".join(dict.fromkeys(e.why for e in row.pod_entries)) or "nothing expects it"
    return NO_PORT if row.pod_entries else OK, None, f"no port and none expected: {why}"


def _filtered_detail(port: NbPort, col: Collected) -> str:
    if port.type != "":
        text = f'the port exists with type {port.type!r}; GC lists only type "" ports, so it logs it lost'
    else:
        text = (
            "the port exists without external_ids:vendor=kube-ovn and --enable-external-vpc=true makes GC list "
            "only kube-ovn-vendor ports, so it logs it lost"
        )
    if col.behaviour.inspect_pod and not col.behaviour.inspect_unfiltered:
        text += "; before v1.12 inspectPod uses the same filter and re-allocates the pod every 20 s"
    return text


def _no_port_detail(row: Row) -> str:
    nad = row.intended.nad if row.intended else None
    cni = f" on {nad.cni_type}" if nad and nad.cni_type else ""
    return f"kube-ovn IPAM{cni}: an IP (IP CR {row.name}) but by design no OVN port"


def _lost_detail(row: Row, col: Collected) -> str:
    if row.pod_entries and col.behaviour.inspect_pod:
        return (
            "GC expects it and NB lacks it; inspectPod should re-create it within ~20 s, so a repeating line "
            "means inspection is failing"
        )
    if row.from_vm_path and not row.pod_entries:
        return "the VM's port is missing from NB (VM names are never inspected, so nothing re-creates it while stopped)"
    return "GC expects it and NB lacks it"


def _present_detail(port: NbPort) -> str:
    """A port that names two chassis is being live-migrated. Which ports of a migrating VM should carry that
    depends on the release (model/migration.py): `judge` re-checks needed ports while a migration runs."""
    chassis = port.options.get("requested-chassis", "")
    if "," in chassis:
        return f"present; live migration in progress (requested-chassis={chassis})"
    return "present"
