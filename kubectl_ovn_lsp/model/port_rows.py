"""Gather every port name of one workload from the three sides: GC's pod loop, GC's VM path, and what the
workload needs (Kube-OVN naming). Shared by `candidate_lookups` (before NB is read) and `judge` (after).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kubectl_ovn_lsp.model.bands import Behaviour
from kubectl_ovn_lsp.model.errors import MalformedMultusAnnotation, MissingNad, MultusParseError
from kubectl_ovn_lsp.model.gc_pods import (
    GcPodEntry,
    allocated_providers,
    gc_pod_entries,
    is_pod_alive,
    parse_time,
    pod_skip_reason,
    statefulset_owner,
)
from kubectl_ovn_lsp.model.gc_vms import SOURCE_TEMPLATE, VmGcResult, gc_vm_entries, template_port_names
from kubectl_ovn_lsp.model.intent import SOURCE_MULTUS, Intended, MissingNadReference, pod_intended, vm_intended
from kubectl_ovn_lsp.model.multus import NETWORKS_ANNOTATION
from kubectl_ovn_lsp.model.nad import network_of_provider
from kubectl_ovn_lsp.model.naming import port_owner, vmi_owner
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.snapshot import WorkloadSnapshot

SOURCE_POD = "pod-annotation"
SOURCE_NB = "nb"
MIGRATION_LABEL = "kubevirt.io/migrationJobUID"


@dataclass
class Row:
    """Everything known about one port name, before a verdict."""

    name: str
    provider: str = ""
    network: str = ""
    sources: set[str] = field(default_factory=set)
    expected: bool = False
    needed: bool = False
    no_port: bool = False
    family_base: bool = False  # un-suffixed name of a repeated NAD (v1.16): never a real port
    from_vm_path: bool = False
    intended: Intended | None = None
    pod_entries: list[GcPodEntry] = field(default_factory=list)
    logical_switch: str | None = None
    young_pod: bool = False
    awaiting_allocation: bool = False  # a pod asks for it but has no `<p>.kubernetes.io/allocated` yet
    vm_spec: bool = False  # named by the VM's spec/template: needed once the VM has run, unless a live pod says not


@dataclass
class Collected:
    """All rows of one workload plus the context verdicts need (owner, band switches, getVMLsps result)."""

    behaviour: Behaviour
    rows: dict[str, Row]
    owner: str
    owners: set[str]  # port owners of this workload (the `<name>` part)
    alt_owners: set[str]  # the other naming (pod vs VM), to catch ports made under another flag value
    target_kind: str
    pods: tuple[str, ...]
    vm_result: VmGcResult | None
    vm_name: str | None
    family_bases: set[str]
    gc_active: bool
    notes: list[str]
    live_pod: bool = False  # an alive launcher/pod: what it uses, not the VM spec, is what the workload needs now

    def row(self, name: str) -> Row:
        return self.rows.setdefault(name, Row(name))


def _vm_name(snapshot: WorkloadSnapshot, strict: bool) -> str | None:
    for obj in (snapshot.vm, snapshot.vmi):
        if obj:
            return str(obj["metadata"]["name"])
    for pod in snapshot.pods:
        owner = vmi_owner(pod, strict_prefix=strict)
        if owner:
            return owner
    return None


def _active_pod(snapshot: WorkloadSnapshot) -> dict[str, Any] | None:
    """The pod that serves the workload now: alive and not a migration target, else any."""
    alive = [p for p in snapshot.pods if is_pod_alive(p, snapshot.now)]
    for pod in alive:
        if MIGRATION_LABEL not in ((pod.get("metadata") or {}).get("labels") or {}):
            return pod
    candidates = alive or list(snapshot.pods)
    return candidates[0] if candidates else None


def malformed_error(pod: Mapping[str, Any], exc: MultusParseError) -> MalformedMultusAnnotation:
    meta = pod.get("metadata") or {}
    which = exc.annotation or NETWORKS_ANNOTATION
    return MalformedMultusAnnotation(
        namespace=meta.get("namespace", ""),
        pod=meta.get("name", ""),
        annotation=which,
        value=(meta.get("annotations") or {}).get(which, ""),
        error=str(exc),
    )


def pod_needs_ports(pod: Mapping[str, Any], snapshot: WorkloadSnapshot, behaviour: Behaviour) -> bool:
    """A live pod needs its ports; a StatefulSet pod also keeps them while its StatefulSet wants it back."""
    if (pod.get("spec") or {}).get("hostNetwork"):
        return False
    if is_pod_alive(pod, snapshot.now):
        return True
    if statefulset_owner(pod) and behaviour.sts_rules:
        return pod_skip_reason(pod, snapshot.statefulsets, behaviour, snapshot.now) is None
    return False


def _add_intended(
    col: Collected,
    items: list[Intended],
    *,
    source: bool,
    allocated: set[str] | None = None,
    from_vm_spec: bool = False,
) -> None:
    """Mark names the workload needs. `allocated` (pods only): providers the pod has been allocated; a port
    of a provider not allocated yet is not missing, the controller simply has not got to it. `from_vm_spec`:
    only marked; `judge` decides whether the VM needs them (it has run, and no live pod shows otherwise)."""
    for item in items:
        row = col.row(item.name)
        row.provider, row.network = row.provider or item.provider, row.network or item.network
        row.intended = row.intended or item
        if item.family:
            row.family_base = True
            col.family_bases.add(item.name)
        elif not item.has_port:
            row.no_port = True
        elif allocated is not None and item.provider not in allocated:
            row.awaiting_allocation = True
        elif from_vm_spec:
            row.vm_spec = True
        else:
            row.needed = True
        if source and item.from_multus:
            row.sources.add(SOURCE_MULTUS)


@dataclass(frozen=True)
class Naming:
    """Whose name the workload's ports carry (`port_owner`, keep-vm-ip, `isVMPod`'s prefix test)."""

    keep_vm_ip: bool  # --keep-vm-ip, where the release reads it (names ports after the VM)
    vm_name: str | None  # the VM (or VMI) this workload belongs to, if any
    owners_of: dict[int, str]  # id(pod) -> the `<owner>` part of that pod's port names
    vm_named: bool  # ports are named after the VM: keep-vm-ip on and the pods pass isVMPod (a stopped VM has none)
    owner: str  # the port owner reported for the workload


def collect(snapshot: WorkloadSnapshot, settings: ControllerSettings) -> Collected:
    """All names of the workload, in steps: who names the ports (`_naming`), the empty record (`_start`), each
    pod's GC entries and needs (`_add_pod`), then GC's VM path and the VM's own needs (`_add_vm`).
    Raises ModelErrors for a pod's malformed annotation or missing NAD."""
    naming = _naming(snapshot, settings)
    col = _start(snapshot, settings, naming)
    for pod in snapshot.pods:
        _add_pod(col, pod, naming.owners_of[id(pod)], snapshot, settings)
    if snapshot.vm is not None and naming.keep_vm_ip:
        _add_vm(col, snapshot.vm, naming.vm_named, snapshot, settings)
    return col


def _naming(snapshot: WorkloadSnapshot, settings: ControllerSettings) -> Naming:
    b = settings.behaviour
    keep = settings.keep_vm_ip and b.name_by_pod
    strict_prefix = b.strict_kubevirt_prefix
    vm_name = _vm_name(snapshot, strict_prefix)
    owners_of = {id(p): port_owner(p, keep, strict_prefix=strict_prefix) for p in snapshot.pods}
    vm_named = keep and vm_name is not None and (not snapshot.pods or vm_name in owners_of.values())
    active = _active_pod(snapshot)
    if vm_named:
        owner = str(vm_name)
    elif active is not None:
        owner = owners_of[id(active)]
    else:
        owner = snapshot.target_name
    return Naming(keep, vm_name, owners_of, vm_named, owner)


def _start(snapshot: WorkloadSnapshot, settings: ControllerSettings, naming: Naming) -> Collected:
    """The record before any row: owners (and the other naming's, to catch ports made under another flag
    value), the target kind, whether GC runs at all."""
    b = settings.behaviour
    target_kind = snapshot.target_kind
    if snapshot.vm is not None and (naming.vm_named or target_kind == "VirtualMachine"):
        target_kind = "VirtualMachine"
    gc_active = b.gc_lsp and not (settings.gc_interval == 0 and b.gc_interval_zero_disables)
    owners = set(naming.owners_of.values()) | {naming.owner}
    other_naming = {p["metadata"]["name"] for p in snapshot.pods} | ({naming.vm_name} if naming.vm_name else set())
    col = Collected(
        behaviour=b,
        rows={},
        owner=naming.owner,
        owners=owners,
        alt_owners=other_naming - owners,
        target_kind=target_kind,
        pods=tuple(p["metadata"]["name"] for p in snapshot.pods),
        vm_result=None,
        vm_name=naming.vm_name,
        family_bases=set(),
        gc_active=gc_active,
        notes=[],
        live_pod=any(is_pod_alive(p, snapshot.now) for p in snapshot.pods),
    )
    if not gc_active and b.gc_lsp:
        col.notes.append("--gc-interval=0: GC of logical switch ports is disabled, nothing is logged or deleted")
    return col


def _add_pod(
    col: Collected, pod: dict[str, Any], owner: str, snapshot: WorkloadSnapshot, settings: ControllerSettings
) -> None:
    """One pod: the names GC's pod loop expects of it (`gc_pod_entries`), then what it needs, if it needs ports."""
    b = settings.behaviour
    providers = allocated_providers(pod)
    entries = gc_pod_entries(pod, owner, snapshot.subnets, snapshot.statefulsets, b, snapshot.now, providers)
    young = bool(entries) and _young(pod, snapshot)
    for entry in entries:
        row = col.row(entry.name)
        row.sources.add(SOURCE_POD)
        row.pod_entries.append(entry)
        row.expected = row.expected or (entry.expected and col.gc_active)
        row.provider = row.provider or entry.provider
        row.network = row.network or network_of_provider(entry.provider)
        row.logical_switch = row.logical_switch or entry.logical_switch
        row.young_pod = row.young_pod or young
    if not pod_needs_ports(pod, snapshot, b):
        return
    non_primary = settings.non_primary_cni_mode and b.non_primary_cni_flag
    try:
        items = pod_intended(pod, owner, snapshot.nads, snapshot.subnets, b, non_primary)
    except MultusParseError as exc:
        raise malformed_error(pod, exc) from None
    except MissingNadReference as exc:
        meta = pod["metadata"]
        raise MissingNad(
            namespace=meta.get("namespace", ""),
            pod=meta.get("name", ""),
            nad_namespace=exc.attachment.namespace,
            nad_name=exc.attachment.name,
        ) from None
    _add_intended(col, items, source=True, allocated=set(providers))


def _add_vm(
    col: Collected, vm: dict[str, Any], vm_named: bool, snapshot: WorkloadSnapshot, settings: ControllerSettings
) -> None:
    """Under keep-vm-ip: the names GC's VM path expects (`getVMLsps`), and the VM spec's own ports while the VM
    names them and is not being deleted."""
    b = settings.behaviour
    col.vm_result = gc_vm_entries(vm, b, True) if col.gc_active else VmGcResult()
    for vm_entry in col.vm_result.entries:
        row = col.row(vm_entry.name)
        row.sources.add(vm_entry.source)
        row.expected = True
        row.from_vm_path = True
        row.provider, row.network = row.provider or vm_entry.provider, row.network or vm_entry.network
    if vm_named and not (vm.get("metadata") or {}).get("deletionTimestamp"):
        non_primary = settings.non_primary_cni_mode and b.non_primary_cni_flag
        _add_intended(
            col, vm_intended(vm, snapshot.nads, snapshot.subnets, b, non_primary), source=False, from_vm_spec=True
        )
        # the template's Multus annotation names these ports even where GC's VM path does not read it (before
        # #2504): their DEL6 is kubeovn/kube-ovn#2486, fixed on its own branches (advice.py, fixes.py)
        for name in template_port_names(vm, b) & col.rows.keys():
            col.rows[name].sources.add(SOURCE_TEMPLATE)


def _young(pod: Mapping[str, Any], snapshot: WorkloadSnapshot, seconds: int = 60) -> bool:
    """Allocated less than ~3 inspection intervals (20 s) ago: a missing port may still be on its way (FP9)."""
    created = parse_time((pod.get("metadata") or {}).get("creationTimestamp"))
    return created is not None and (snapshot.now - created).total_seconds() < seconds


def has_allocation(snapshot: WorkloadSnapshot) -> bool:
    return any(allocated_providers(p) for p in snapshot.pods)
