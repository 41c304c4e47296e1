"""Vip owners: the port of a kubeovn.io `Vip`, which GC exempts from deletion in some releases.

`markAndCleanLSP` never adds a Vip's port to the keep-set (so GC never logs it lost), but from v1.14.0 (#5148,
`vipsMap`) it skips deleting the port `<vip>.<spec.namespace>[.<provider of spec.subnet>]` of every Vip whose
`spec.type` is set; v1.12.0–v1.13.15 skip any port with `options:arp_proxy=true` instead (docs/kube-ovn-facts.md,
"GC of logical switch ports"). A listed port of a Vip that neither rule keeps is deleted although the Vip exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kubectl_ovn_lsp.model.advice import advice_for
from kubectl_ovn_lsp.model.gc_list import gc_active, gc_lists, skips_delete
from kubectl_ovn_lsp.model.nad import network_of_provider, subnet_provider
from kubectl_ovn_lsp.model.naming import OVN_PROVIDER
from kubectl_ovn_lsp.model.records import NbPort
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.snapshot import DELETION_RISK, NO_PORT, OK, Judgement, port_finding, worst


def vip_namespace(vip: Mapping[str, Any]) -> str:
    return str((vip.get("spec") or {}).get("namespace") or "")


def vip_port_name(vip: Mapping[str, Any], subnets: Mapping[str, Mapping[str, Any]]) -> tuple[str, str]:
    """(port name, provider) as `handleAddVip` forms them: `ovs.PodNameToPortName(vip, spec.namespace, provider)`."""
    spec = vip.get("spec") or {}
    name = str((vip.get("metadata") or {}).get("name") or "")
    subnet = subnets.get(str(spec.get("subnet") or ""))
    provider = (subnet_provider(subnet) if subnet is not None else "") or OVN_PROVIDER
    base = f"{name}.{vip_namespace(vip)}"
    return (base if provider == OVN_PROVIDER else f"{base}.{provider}"), provider


def judge_vip(
    vip: Mapping[str, Any],
    ports: Mapping[str, NbPort],
    subnets: Mapping[str, Mapping[str, Any]],
    settings: ControllerSettings,
) -> Judgement:
    """ok (kept or not listed), deletion-risk DEL10 (GC deletes the port of an existing Vip), no-port."""
    name = str((vip.get("metadata") or {}).get("name") or "")
    typed = bool((vip.get("spec") or {}).get("type"))
    port_name, provider = vip_port_name(vip, subnets)
    port = ports.get(port_name)
    listed = port is not None and gc_lists(port, settings)
    reason = None
    if port is None:
        verdict, detail = NO_PORT, "no port in NB (a Vip without a type only reserves an address)"
    elif not listed or not gc_active(settings):
        verdict, detail = OK, "present; GC does not list it" if not listed else "present; GC is not deleting ports"
    elif settings.behaviour.vip_ports and typed:
        verdict, detail = OK, "present; GC exempts the ports of Vips with a type (vipsMap, v1.14.0+)"
    elif skips_delete(port, settings):
        verdict, detail = OK, "present; releases before v1.14 never delete a port with options:arp_proxy=true"
    else:
        verdict, reason = DELETION_RISK, "DEL10"
        detail = (
            "GC never expects a Vip's port and this release does not exempt it "
            + ("(the Vip has no type)" if settings.behaviour.vip_ports else "(no options:arp_proxy=true)")
            + ": it deletes it on its second consecutive run while the Vip exists"
        )
    finding = port_finding(
        port_name,
        port,
        (verdict, reason, detail),
        provider=provider,
        network=network_of_provider(provider),
        sources=("vip",),
        expected_by_gc=False,
        listed_by_gc=listed,
        needed=port is not None,
        logical_switch=None if port else str((vip.get("spec") or {}).get("subnet") or "") or None,
    )
    overall = worst([verdict])
    return Judgement(
        port_owner=name,
        target_kind="Vip",
        target_name=name,
        pods=(),
        ports=(finding,),
        lost_logged=(),
        would_delete=(port_name,) if verdict == DELETION_RISK else (),
        message=None,
        verdict=overall,
        advice=advice_for(overall, [finding], settings),
    )
