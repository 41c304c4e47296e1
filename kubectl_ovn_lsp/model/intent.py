"""What the workload really has or needs: port names by Kube-OVN's naming, independent of GC's quirks.

A false positive is "GC expects a name the workload does not need"; a deletion risk is "GC drops a name the
workload does need". This module is the "need" side: from a pod's Multus annotations (as `getPodKubeovnNets`
reads them) and, for a VM whose ports are named after it, from the VM spec (the launcher pod KubeVirt would
create), including a stopped VM whose ports `handleDeletePod` retained.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kubectl_ovn_lsp.model.bands import Behaviour
from kubectl_ovn_lsp.model.errors import MultusParseError
from kubectl_ovn_lsp.model.gc_vms import has_multus_default, split_network_name, vm_networks, vm_template_annotation
from kubectl_ovn_lsp.model.multus import (
    DEFAULT_NETWORK_ANNOTATION,
    Attachment,
    parse_network_annotation,
    pod_attachments,
)
from kubectl_ovn_lsp.model.nad import (
    KIND_IPAM,
    KIND_KUBE_OVN,
    KIND_MISSING,
    NadClass,
    classify_nad,
    ipam_provider,
    kube_ovn_provider,
    repeated_keys,
)
from kubectl_ovn_lsp.model.naming import OVN_PROVIDER, port_name

SOURCE_MULTUS = "multus-annotation"


@dataclass(frozen=True)
class Intended:
    """A port name the workload uses (or an IPAM-only attachment that by design has none)."""

    name: str
    provider: str
    network: str  # "default" or "ns/nad"
    has_port: bool  # False: IPAM-only attachment (an IP CR, never an LSP)
    from_multus: bool  # came from a Multus annotation / network (vs the cluster default network)
    nad: NadClass | None = None
    family: bool = False  # v1.16 repeated NAD of a VM: real names are `<name>.<iface>`, iface unknown here


class MissingNadReference(Exception):
    """Internal: a pod references a NAD that is not there (the caller turns it into a ModelError)."""

    def __init__(self, attachment: Attachment) -> None:
        super().__init__(attachment.network)
        self.attachment = attachment


def _lookup(
    nads: Mapping[tuple[str, str], Any], subnets: Mapping[str, Any], att: Attachment, behaviour: Behaviour
) -> NadClass:
    return classify_nad(nads.get(att.key), att.namespace, att.name, subnets, ipam_by_type=behaviour.ipam_by_nad_type)


def intended_from_attachments(
    owner: str,
    namespace: str,
    attachments: list[Attachment],
    has_default_annotation: bool,
    nads: Mapping[tuple[str, str], Any],
    subnets: Mapping[str, Any],
    behaviour: Behaviour,
    non_primary: bool,
    *,
    strict_nads: bool,
    iface_known: bool = True,
) -> list[Intended]:
    """`getPodKubeovnNets`: attachments first, then the `ovn` default net unless the default-network key is
    present (`hasOtherDefaultNet`, every release: presence only, any NAD type or value)."""
    out: list[Intended] = []
    repeated = repeated_keys(attachments)
    for att in attachments:
        nad = _lookup(nads, subnets, att, behaviour)
        if nad.kind == KIND_MISSING:
            if strict_nads:
                raise MissingNadReference(att)
            continue
        if nad.kind == KIND_KUBE_OVN:
            family = False
            if att.is_default and not behaviour.default_net_own_provider:
                provider = OVN_PROVIDER  # ≤v1.8.1: a kube-ovn default network is the ovn provider
            elif behaviour.iface_suffix_providers and att.key in repeated and (att.interface or not iface_known):
                provider, family = kube_ovn_provider(att.name, att.namespace, att.interface), not iface_known
            else:
                provider = kube_ovn_provider(att.name, att.namespace)
            out.append(Intended(port_name(owner, namespace, provider), provider, att.network, True, True, nad, family))
        elif nad.kind == KIND_IPAM:
            provider = ipam_provider(att.name, att.namespace)
            out.append(Intended(port_name(owner, namespace, provider), provider, att.network, False, True, nad))
    if not non_primary and not has_default_annotation:
        out.append(Intended(port_name(owner, namespace, OVN_PROVIDER), OVN_PROVIDER, "default", True, False))
    return _dedupe(out)


def pod_intended(
    pod: Mapping[str, Any],
    owner: str,
    nads: Mapping[tuple[str, str], Any],
    subnets: Mapping[str, Any],
    behaviour: Behaviour,
    non_primary: bool,
) -> list[Intended]:
    """What this pod's own annotations ask Kube-OVN for. Raises MultusParseError / MissingNadReference."""
    if (pod.get("spec") or {}).get("hostNetwork"):
        return []
    meta = pod.get("metadata") or {}
    attachments = pod_attachments(pod, nadutils=behaviour.nadutils_parser)
    has_default = DEFAULT_NETWORK_ANNOTATION in (meta.get("annotations") or {})
    return intended_from_attachments(
        owner,
        meta.get("namespace", ""),
        attachments,
        has_default,
        nads,
        subnets,
        behaviour,
        non_primary,
        strict_nads=True,
    )


def vm_attachments(vm: Mapping[str, Any], *, nadutils: bool) -> list[Attachment]:
    """The attachments KubeVirt gives the launcher pod: spec.networks Multus entries + the template annotation."""
    namespace = str((vm.get("metadata") or {}).get("namespace", ""))
    out: list[Attachment] = []
    for net in vm_networks(vm):
        multus = net.get("multus") or {}
        if not multus.get("networkName"):
            continue
        ns, name = split_network_name(str(multus["networkName"]), namespace, bare_allowed=True)  # type: ignore[misc]
        out.append(Attachment(name, ns, "", is_default=bool(multus.get("default"))))
    raw = vm_template_annotation(vm)
    if raw:
        with contextlib.suppress(MultusParseError):  # KubeVirt copies it to the pod, whose path reports it
            out.extend(parse_network_annotation(raw, namespace, nadutils=nadutils))
    return out


def vm_intended(
    vm: Mapping[str, Any],
    nads: Mapping[tuple[str, str], Any],
    subnets: Mapping[str, Any],
    behaviour: Behaviour,
    non_primary: bool,
) -> list[Intended]:
    """The ports a VM named after itself uses whenever it runs (so a stopped VM still needs them)."""
    meta = vm.get("metadata") or {}
    return intended_from_attachments(
        str(meta.get("name", "")),
        str(meta.get("namespace", "")),
        vm_attachments(vm, nadutils=behaviour.nadutils_parser),
        has_multus_default(vm),
        nads,
        subnets,
        behaviour,
        non_primary,
        strict_nads=False,
        iface_known=False,
    )


def _dedupe(items: Iterable[Intended]) -> list[Intended]:
    seen: dict[str, Intended] = {}
    for item in items:
        seen.setdefault(item.name, item)
    return list(seen.values())
