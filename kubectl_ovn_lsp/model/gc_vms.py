"""The VM half of GC's expected set: `getVMLsps` per band, quirks included (docs/kube-ovn-facts.md, "VM path
(getVMLsps)").

GC synthesises names from every KubeVirt VirtualMachine, whatever its run state, so that a stopped VM's
retained ports survive. The synthesis does not look at NADs (always `.ovn`), and in band H a parse error
on the template annotation skips spec.networks too; these quirks are the FP and DEL classes, so they are
reproduced, not corrected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kubectl_ovn_lsp.model.bands import Behaviour
from kubectl_ovn_lsp.model.errors import MultusParseError
from kubectl_ovn_lsp.model.multus import NETWORKS_ANNOTATION, parse_network_annotation
from kubectl_ovn_lsp.model.nad import kube_ovn_provider
from kubectl_ovn_lsp.model.naming import OVN_PROVIDER, port_name

SOURCE_SPEC = "vm-spec"
SOURCE_TEMPLATE = "vm-template-annotation"


@dataclass(frozen=True)
class VmGcEntry:
    name: str
    provider: str
    network: str  # "default" or "ns/nad"
    source: str  # vm-spec | vm-template-annotation


@dataclass(frozen=True)
class VmGcResult:
    """getVMLsps' output for one VM plus why it left names out (the evidence for DEL1/DEL2)."""

    entries: tuple[VmGcEntry, ...] = ()
    template_error: str | None = None  # GC logged this and skipped the rest of the VM (spec.networks)
    skipped_bare: tuple[str, ...] = ()  # bare networkNames ignored before v1.12.4
    primary_skipped: bool = False  # #5106: no <vm>.<ns> because of multus.default


def vm_networks(vm: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(((((vm.get("spec") or {}).get("template") or {}).get("spec") or {}).get("networks")) or [])


def vm_template_annotation(vm: Mapping[str, Any]) -> str:
    """Go reads a missing key as "": the distinction does not exist for GC."""
    meta = ((vm.get("spec") or {}).get("template") or {}).get("metadata") or {}
    return str((meta.get("annotations") or {}).get(NETWORKS_ANNOTATION) or "")


def template_port_names(vm: Mapping[str, Any], behaviour: Behaviour) -> frozenset[str]:
    """The port names the VM template's Multus annotation gives the VM (KubeVirt copies the annotation to every
    launcher pod), whether or not the release's GC VM path reads it (#2504, kubeovn/kube-ovn#2486: v1.9.23,
    v1.11.5, v1.12.0); empty when there is none or it does not parse."""
    raw = vm_template_annotation(vm)
    if not raw:
        return frozenset()
    meta = vm.get("metadata") or {}
    name, namespace = str(meta.get("name", "")), str(meta.get("namespace", ""))
    try:
        nets = parse_network_annotation(raw, namespace, nadutils=behaviour.nadutils_parser)
    except MultusParseError:
        return frozenset()
    return frozenset(port_name(name, namespace, kube_ovn_provider(att.name, att.namespace)) for att in nets)


def has_multus_default(vm: Mapping[str, Any]) -> bool:
    """Any network with `multus.default: true`: the VM has no `ovn` port (the #5106 test)."""
    return any((n.get("multus") or {}).get("default") for n in vm_networks(vm))


def split_network_name(network_name: str, vm_namespace: str, *, bare_allowed: bool) -> tuple[str, str] | None:
    """`ns/name` → (ns, name); a bare name → (VM ns, name) from v1.12.4, else skipped (None)."""
    items = network_name.split("/")
    if len(items) == 2:
        return items[0], items[1]
    if bare_allowed:
        return vm_namespace, items[0]
    return None


def gc_vm_entries(vm: Mapping[str, Any], behaviour: Behaviour, keep_vm_ip: bool) -> VmGcResult:
    """The names `getVMLsps` adds for this VM (empty without keep-vm-ip or before getVmLsps existed)."""
    if not (keep_vm_ip and behaviour.gc_lsp and behaviour.vm_lsps and behaviour.name_by_pod):
        return VmGcResult()
    meta = vm.get("metadata") or {}
    name, namespace = str(meta.get("name", "")), str(meta.get("namespace", ""))
    entries: list[VmGcEntry] = []
    primary_skipped = behaviour.vm_skip_default_multus and has_multus_default(vm)
    if not primary_skipped:
        entries.append(VmGcEntry(port_name(name, namespace, OVN_PROVIDER), OVN_PROVIDER, "default", SOURCE_SPEC))
    if behaviour.vm_template_annotation:
        raw = vm_template_annotation(vm)
        if raw or not behaviour.vm_empty_annotation_guard:
            try:
                nets = parse_network_annotation(raw, namespace, nadutils=behaviour.nadutils_parser)
            except MultusParseError as exc:
                return VmGcResult(tuple(entries), template_error=str(exc), primary_skipped=primary_skipped)
            for att in nets:
                provider = kube_ovn_provider(att.name, att.namespace)
                entries.append(VmGcEntry(port_name(name, namespace, provider), provider, att.network, SOURCE_TEMPLATE))
    skipped: list[str] = []
    if behaviour.vm_spec_networks:
        for net in vm_networks(vm):
            network_name = str((net.get("multus") or {}).get("networkName") or "")
            if not network_name:
                continue
            split = split_network_name(network_name, namespace, bare_allowed=behaviour.vm_bare_network_name)
            if split is None:
                skipped.append(network_name)
                continue
            provider = kube_ovn_provider(split[1], split[0])
            entries.append(
                VmGcEntry(port_name(name, namespace, provider), provider, f"{split[0]}/{split[1]}", SOURCE_SPEC)
            )
    return VmGcResult(tuple(entries), skipped_bare=tuple(skipped), primary_skipped=primary_skipped)
