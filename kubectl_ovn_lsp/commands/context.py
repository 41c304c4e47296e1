"""What every cluster-facing command does first: connect, read the kube-ovn-controller Deployment, settle the
release and flags GC runs with (command-line overrides win), and keep the notes to show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.kube.client import KubeClient
from kubectl_ovn_lsp.kube.reads import controller_deployment
from kubectl_ovn_lsp.model.settings import ControllerSettings, deployment_version, settings_from_deployment
from kubectl_ovn_lsp.options import CommonOptions

if TYPE_CHECKING:
    from kubectl_ovn_lsp.model.inventory import Inventory
    from kubectl_ovn_lsp.model.records import NbLookup
    from kubectl_ovn_lsp.model.replay import Replay


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
    context = CommandContext(client, settings, deployment_version(deployment), notes)
    context.add_notes(settings.notes)
    return context


def read_scope(
    context: CommandContext,
    common: CommonOptions,
    env: Environment,
    namespace: str | None,
    *,
    chunk_size: int = 500,
    step: Callable[[str], None] = lambda _: None,
) -> tuple[Inventory, NbLookup]:
    """GC's order of reads, as `audit` and `triage` run them: one paged list per kind for the scope (None: the
    cluster), then every NB port once. Notes name the kinds that could not be listed.
    `step` is told each step as it starts (`list`, `nb`): `serve` names the step a cycle failed at."""
    from kubectl_ovn_lsp.kube.inventory import list_scope
    from kubectl_ovn_lsp.model.records import Selection
    from kubectl_ovn_lsp.nb.backend import open_reader

    step("list")
    inventory = list_scope(context.client, namespace, env.now(), chunk_size=chunk_size, progress=env.progress)
    step("nb")
    env.progress("reading OVN NB…")
    with open_reader(
        context.client, common.nb, context.client.deadline, verbose=common.kube.verbose, stderr=env.stderr
    ) as reader:
        lookup = reader.read(Selection(every_port=True))
    context.add_notes(lookup.notes)
    for plural, why in sorted(inventory.unreadable.items()):
        effect = {
            "statefulsets": "StatefulSet pods are judged as if their StatefulSet still wants them",
            "ips": "IP CRs were not checked (leaked IP CRs, addresses held twice)",
        }.get(plural, "owners that depend on it are error items, and no port is called an orphan because of it")
        context.add_notes([f"could not list {plural} ({why}); {effect}"])
    return inventory, lookup


def replay_read(context: CommandContext, env: Environment, inventory: Inventory, lookup: NbLookup) -> Replay:
    """The replay of what `read_scope` read, at the running release, within the command's deadline."""
    from kubectl_ovn_lsp.model.owners import workload_owners
    from kubectl_ovn_lsp.model.records import SwitchView
    from kubectl_ovn_lsp.model.replay import replay

    env.progress(f"replaying GC over {len(inventory.pods)} pods and {len(lookup.ports)} ports…")
    owners = workload_owners(inventory)
    what = f"replaying GC over {len(owners)} owners and {len(lookup.ports)} ports"
    result = replay(
        inventory,
        lookup.ports,
        context.settings,
        owners=context.client.deadline.checked(owners, what),
        switches=SwitchView.of(lookup),
    )
    env.progress_done()
    return result


def replay_scope(
    context: CommandContext,
    common: CommonOptions,
    env: Environment,
    namespace: str | None,
    *,
    chunk_size: int = 500,
    step: Callable[[str], None] = lambda _: None,
) -> tuple[Replay, NbLookup]:
    """`read_scope`, then the replay over all of it (`step` is told `replay` too)."""
    inventory, lookup = read_scope(context, common, env, namespace, chunk_size=chunk_size, step=step)
    step("replay")
    return replay_read(context, env, inventory, lookup), lookup
