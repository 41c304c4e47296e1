"""What every cluster-facing command does first: connect, read the kube-ovn-controller Deployment, settle the
release and flags GC runs with (command-line overrides win), and keep the notes to show."""

from __future__ import annotations

from dataclasses import dataclass, field

from kubectl_ovn_lsp.kube.client import KubeClient
from kubectl_ovn_lsp.kube.reads import controller_deployment
from kubectl_ovn_lsp.model.bands import ControllerSettings, settings_from_deployment
from kubectl_ovn_lsp.options import CommonOptions


@dataclass
class CommandContext:
    """A connected client, the controller settings, and the notes gathered on the way."""

    client: KubeClient
    settings: ControllerSettings
    deployment_version: str | None  # the image tag the controller runs, whatever was overridden
    notes: list[str] = field(default_factory=list)

    def add_notes(self, notes: tuple[str, ...] | list[str]) -> None:
        self.notes += [n for n in dict.fromkeys(notes) if n not in self.notes]


def connect(common: CommonOptions) -> CommandContext:
    """Client from the kubeconfig, settings from the Deployment in the OVN namespace (or assumed, with a note)."""
    kube = common.kube
    client = KubeClient.connect(kube.kubeconfig, kube.context, kube.request_timeout, kube.verbose)
    notes: list[str] = []
    deployment = controller_deployment(client, common.nb.ovn_namespace, notes)
    settings = settings_from_deployment(deployment, common.controller.as_dict())
    running = settings_from_deployment(deployment).version_text if deployment is not None else None
    context = CommandContext(client, settings, running, notes)
    context.add_notes(settings.notes)
    return context
