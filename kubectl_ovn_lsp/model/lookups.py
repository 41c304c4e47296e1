"""The model's entry points for commands: what to fetch, what to look up in NB, and the judgement.

The collector calls them in this order: `settings_from_deployment` → `nad_references` (NADs to GET) →
`candidate_lookups` (NB rows to read) → `judge`. Every function is pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kubectl_ovn_lsp.model.errors import MultusParseError
from kubectl_ovn_lsp.model.intent import vm_attachments
from kubectl_ovn_lsp.model.judge import judge
from kubectl_ovn_lsp.model.multus import pod_attachments
from kubectl_ovn_lsp.model.port_rows import Collected, collect, malformed_error
from kubectl_ovn_lsp.model.settings import ControllerSettings, settings_from_deployment
from kubectl_ovn_lsp.model.snapshot import Judgement, PortFinding, WorkloadSnapshot

__all__ = [
    "ControllerSettings",
    "WorkloadSnapshot",
    "PortFinding",
    "Judgement",
    "settings_from_deployment",
    "nad_references",
    "candidate_lookups",
    "judge",
]


def nad_references(
    pods: Iterable[Mapping[str, Any]], vm: Mapping[str, Any] | None, namespace: str, settings: ControllerSettings
) -> list[tuple[str, str]]:
    """(ns, name) of every NAD the pods' Multus annotations and the VM spec/template annotation name.

    Raises MalformedMultusAnnotation for a pod (Kube-OVN cannot allocate it either); a VM's malformed template
    annotation is only GC's problem and is judged later.
    """
    nadutils = settings.behaviour.nadutils_parser
    keys: set[tuple[str, str]] = set()
    for pod in pods:
        try:
            keys.update(a.key for a in pod_attachments(pod, nadutils=nadutils))
        except MultusParseError as exc:
            raise malformed_error(pod, exc) from None
    if vm is not None:
        keys.update(a.key for a in vm_attachments(vm, nadutils=nadutils))
    return sorted(k for k in keys if k[1])


def candidate_lookups(snapshot: WorkloadSnapshot, settings: ControllerSettings) -> tuple[list[str], list[str]]:
    """(port names, `<ns>/<owner>` pod keys) to read from NB.

    Raises the same ModelErrors as `judge` (malformed Multus annotation, missing NAD) so bad input is reported
    before any NB connection is made.
    """
    return candidates_of(snapshot, collect(snapshot, settings))


def candidates_of(snapshot: WorkloadSnapshot, col: Collected) -> tuple[list[str], list[str]]:
    """(port names, pod keys) to read from NB for rows already collected."""
    names = sorted(name for name, row in col.rows.items() if not (row.no_port and not row.expected))
    keys = sorted({f"{snapshot.namespace}/{o}" for o in col.owners | col.alt_owners if o})
    return names, keys
