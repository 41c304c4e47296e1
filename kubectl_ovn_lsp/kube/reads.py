"""Cluster-wide reads one explanation needs: the controller Deployment, NADs and Subnets."""

from __future__ import annotations

from collections.abc import Iterable

from kubectl_ovn_lsp.errors import Forbidden
from kubectl_ovn_lsp.kube.client import DEPLOYMENTS, NADS, SUBNETS, KubeClient

CONTROLLER = "kube-ovn-controller"


def controller_deployment(client: KubeClient, ovn_namespace: str, notes: list[str]) -> dict | None:
    """The kube-ovn-controller Deployment (image tag and args decide version and flags).

    Unreadable is not fatal: the model then assumes the newest release, and the output says so.
    """
    try:
        deployment = client.find(DEPLOYMENTS, CONTROLLER, ovn_namespace)
    except Forbidden as exc:
        notes.append(f"could not read deployment {ovn_namespace}/{CONTROLLER} ({exc}); Kube-OVN version assumed")
        return None
    if deployment is None:
        notes.append(f"no deployment {ovn_namespace}/{CONTROLLER}; set --ovn-namespace or --kube-ovn-version")
    return deployment


def fetch_nads(client: KubeClient, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict | None]:
    """Each referenced NetworkAttachmentDefinition, None when missing (the model reports it)."""
    return {(ns, name): client.find(NADS, name, ns) for ns, name in sorted(set(keys))}


def fetch_subnets(client: KubeClient) -> dict[str, dict]:
    """All Kube-OVN Subnets by name (cluster-scoped; none when the CRD is absent)."""
    return {s["metadata"]["name"]: s for s in client.list(SUBNETS, missing_ok=True)}
