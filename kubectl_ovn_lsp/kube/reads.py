"""The kube-ovn-controller Deployment, whose image tag and args decide the release model, and the namespace a
command's scope names."""

from __future__ import annotations

from typing import Any

from kubectl_ovn_lsp.errors import quote_name
from kubectl_ovn_lsp.kube.client import DEPLOYMENTS, KubeClient, Resource
from kubectl_ovn_lsp.kube.errors import Forbidden, NotFound

CONTROLLER = "kube-ovn-controller"


def controller_deployment(client: KubeClient, ovn_namespace: str, notes: list[str]) -> dict[str, Any] | None:
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


NAMESPACES = Resource("Namespace", "namespaces", namespaced=False)


def check_namespace(client: KubeClient, namespace: str, notes: list[str]) -> None:
    """A namespace scope must exist: `audit -n typo` would otherwise read as a healthy, empty namespace forever.
    Raises NotFound with kubectl's words (`namespaces "x" not found`); a user who may not get namespaces gets a
    note instead (the audit still runs: an empty namespace then looks like a missing one)."""
    try:
        found = client.find(NAMESPACES, namespace)
    except Forbidden:
        notes.append(f'could not check that namespace "{namespace}" exists (RBAC get on namespaces)')
        return
    if found is None:
        raise NotFound(f'namespaces "{quote_name(namespace)}" not found')
