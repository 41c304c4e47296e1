"""The stable, versioned documents the commands return (docs/contracts.md): field names and meanings are fixed.

`Explanation` (explain), `Audit` and `Triage` share the per-owner shape (`target`, `ports`, `gc`, `verdict`,
`advice`), built here once, so the three views cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from kubectl_ovn_lsp.model.bands import ControllerSettings
from kubectl_ovn_lsp.model.records import NbLookup
from kubectl_ovn_lsp.model.replay import Item
from kubectl_ovn_lsp.model.snapshot import Judgement, PortFinding

API_VERSION = "ovn-lsp.kubeovn.io/v1alpha1"


def kube_ovn_doc(settings: ControllerSettings, deployment_version: str | None) -> dict[str, Any]:
    return {
        "version": settings.version_text,
        "band": settings.band,
        "keepVmIp": settings.keep_vm_ip,
        "enableExternalVpc": settings.enable_external_vpc,
        "nonPrimaryCniMode": settings.non_primary_cni_mode,
        "detectedFrom": settings.detected_from,
        "deploymentVersion": deployment_version,  # the image tag the controller runs, whatever was overridden
        "behaviourOf": settings.behaviour_of,  # the checked release whose behaviour is used (docs/contracts.md)
    }


def nb_doc(lookup: NbLookup) -> dict[str, Any]:
    return {"via": lookup.via, "endpoint": lookup.endpoint, "leaderOnly": lookup.leader_only}


def port_doc(p: PortFinding) -> dict[str, Any]:
    return {
        "name": p.name,
        "provider": p.provider,
        "network": p.network,
        "sources": list(p.sources),
        "expectedByGc": p.expected_by_gc,
        "inNb": p.in_nb,
        "listedByGc": p.listed_by_gc,
        "logicalSwitch": p.logical_switch,
        "addresses": list(p.addresses),
        "verdict": p.verdict,
        "reason": p.reason,
        "detail": p.detail,
    }


def target_doc(item: Item) -> dict[str, Any]:
    """`target`: the owner's kind and name; for a workload the judgement's view of it (a launcher pod that
    resolves to its VM is the VM)."""
    judgement = item.judgement
    return {
        "kind": judgement.target_kind if judgement else item.owner.kind,
        "namespace": item.owner.namespace,
        "name": item.owner.name,
        "portOwner": judgement.port_owner if judgement else item.owner.name,
        "pods": list(judgement.pods) if judgement else [],
    }


def gc_doc(judgement: Judgement) -> dict[str, Any]:
    return {
        "lostLogged": list(judgement.lost_logged),
        "wouldDelete": list(judgement.would_delete),
        "message": judgement.message,
    }


def item_doc(item: Item) -> dict[str, Any]:
    """One owner as `audit` lists it (and as `explain` returns it, plus the header fields)."""
    if item.judgement is None:
        return {
            "target": target_doc(item),
            "ports": [],
            "gc": {"lostLogged": [], "wouldDelete": [], "message": None},
            "verdict": item.verdict,
            "advice": [],
            "error": item.error,
        }
    judgement = item.judgement
    return {
        "target": target_doc(item),
        "ports": [port_doc(p) for p in judgement.ports],
        "gc": gc_doc(judgement),
        "verdict": judgement.verdict,
        "advice": list(judgement.advice),
    }


def explanation(
    item: Item, settings: ControllerSettings, lookup: NbLookup, notes: list[str], deployment_version: str | None
) -> dict[str, Any]:
    """The `Explanation` document of one owner."""
    body = item_doc(item)
    return {
        "apiVersion": API_VERSION,
        "kind": "Explanation",
        "target": body["target"],
        "kubeOvn": kube_ovn_doc(settings, deployment_version),
        "nb": nb_doc(lookup),
        "ports": body["ports"],
        "gc": body["gc"],
        "verdict": body["verdict"],
        "advice": body["advice"],
        "notes": notes,
    }
