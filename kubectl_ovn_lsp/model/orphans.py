"""Orphan owners: ports GC lists whose owner no longer exists, and ports Kube-OVN never created.

An orphan is grouped by its `external_ids:pod` key (`<ns>/<name>`: every port of a deleted pod or VM together),
a `node-<n>` port without its Node by its port name. GC deletes such a port on its second consecutive run
(`markAndCleanLSP`): harmless housekeeping, so `stale`; a port GC does not list is left alone (`ok`). A listed
port without `vendor=kube-ovn` belongs to another system: with --enable-external-vpc=false (the default from
v1.14.5/v1.15.0) GC lists every type "" port and deletes it — `deletion-risk`, reason DEL4.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubectl_ovn_lsp.model.gc_list import gc_active, gc_lists, kube_ovn_created, skips_delete
from kubectl_ovn_lsp.model.nad import network_of_provider
from kubectl_ovn_lsp.model.records import NbPort
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.snapshot import DELETION_RISK, OK, STALE, Judgement, port_finding, worst

DEL4_ADVICE = (
    'GC will delete a port Kube-OVN did not create: with --enable-external-vpc=false GC lists every type "" '
    "logical switch port and deletes those outside its keep-set. If another system owns this port, run "
    "kube-ovn-controller with --enable-external-vpc=true, or move the port off Kube-OVN's switches."
)
STALE_ADVICE = (
    "Harmless housekeeping: the owner of these ports no longer exists, and GC deletes them (with their IP "
    "CRs) on its second consecutive run. Nothing to do."
)
OK_ADVICE = "These ports have no owner, but GC leaves them alone (its list filter ignores them)."


@dataclass(frozen=True)
class OrphanKey:
    """How orphan ports are grouped: the pod key's namespace and name, else ("", port name)."""

    namespace: str
    name: str


def orphan_key(port: NbPort) -> OrphanKey:
    key = port.pod_key or ""
    if "/" in key:
        namespace, name = key.split("/", 1)
        return OrphanKey(namespace, name)
    return OrphanKey("", port.name)


def is_gc_relevant(port: NbPort, settings: ControllerSettings) -> bool:
    """A port an orphan item may report: one Kube-OVN created, or one GC lists (and so may delete)."""
    return port.type == "" and (kube_ovn_created(port) or gc_lists(port, settings))


def judge_orphan(key: OrphanKey, ports: list[NbPort], settings: ControllerSettings) -> Judgement:
    """Every unclaimed port of one key: stale (GC deletes it), ok (GC leaves it), deletion-risk DEL4 (foreign)."""
    active = gc_active(settings)
    findings = []
    for port in sorted(ports, key=lambda p: p.name):
        listed = gc_lists(port, settings)
        deleted = listed and active and not skips_delete(port, settings)
        if deleted and not kube_ovn_created(port):
            verdict, reason = DELETION_RISK, "DEL4"
            detail = (
                "not created by Kube-OVN (no external_ids:vendor=kube-ovn); --enable-external-vpc=false makes "
                'GC list every type "" port, so it deletes this one after two runs'
            )
        elif deleted:
            verdict, reason, detail = STALE, None, _gone(key, port) + ": GC deletes it on its second consecutive run"
        else:
            verdict, reason = OK, None
            detail = _gone(key, port) + (
                "; GC does not list it, so it stays"
                if not listed
                else "; GC is not deleting ports (disabled, or arp_proxy before v1.14)"
            )
        provider = _provider(port, key)
        findings.append(
            port_finding(
                port.name,
                port,
                (verdict, reason, detail),
                provider=provider,
                network=network_of_provider(provider) if provider else "",
                sources=("nb",),
                expected_by_gc=False,
                listed_by_gc=listed,
            )
        )
    delete = tuple(f.name for f in findings if f.verdict in (STALE, DELETION_RISK))
    verdict = worst([f.verdict for f in findings])
    advice = DEL4_ADVICE if verdict == DELETION_RISK else STALE_ADVICE if delete else OK_ADVICE
    return Judgement(
        port_owner=key.name,
        target_kind="Orphan",
        target_name=key.name,
        pods=(),
        ports=tuple(findings),
        lost_logged=(),
        would_delete=delete,
        message=None,
        verdict=verdict,
        advice=(advice,),
    )


def _gone(key: OrphanKey, port: NbPort) -> str:
    if key.namespace:
        return f"its owner {key.namespace}/{key.name} no longer exists (no pod, VM or Vip)"
    if port.name.startswith("node-"):
        return f"node {port.name[len('node-') :]} no longer exists"
    return "no owner: the port has no external_ids:pod"


def _provider(port: NbPort, key: OrphanKey) -> str:
    """`<name>.<ns>` is the ovn provider; `<name>.<ns>.<provider>` names the attachment's provider."""
    if not key.namespace:
        return ""
    prefix = f"{key.name}.{key.namespace}"
    if port.name == prefix:
        return "ovn"
    return port.name[len(prefix) + 1 :] if port.name.startswith(prefix + ".") else ""
