"""The kube-ovn-controller Deployment, whose image tag and args decide the release model."""

from __future__ import annotations

from kubectl_ovn_lsp.kube.client import DEPLOYMENTS, KubeClient
from kubectl_ovn_lsp.kube.errors import Forbidden

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
