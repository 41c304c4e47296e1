"""The pod and node half of GC's expected set (`markAndCleanLSP`, docs/kube-ovn-facts.md, "GC of logical switch
ports"), per band.

For every pod GC considers, each `<p>.kubernetes.io/allocated=="true"` annotation names a port GC expects,
if the band's subnet test passes. We keep the reason a name is or is not expected, because that reason is
what the operator needs to read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from kubectl_ovn_lsp.model.bands import Behaviour
from kubectl_ovn_lsp.model.nad import is_ovn_provider, subnet_provider
from kubectl_ovn_lsp.model.naming import port_name

ALLOCATED_SUFFIX = ".kubernetes.io/allocated"
LOGICAL_SWITCH_SUFFIX = ".kubernetes.io/logical_switch"
_UNKNOWN = object()


@dataclass(frozen=True)
class GcPodEntry:
    """One allocated provider of one pod as GC's pod loop sees it."""

    name: str
    provider: str
    pod: str
    logical_switch: str | None
    expected: bool
    why: str  # why GC does or does not expect it, one clause


def parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def is_pod_alive(pod: Mapping[str, Any], now: datetime) -> bool:
    """`isPodAlive` + `isPodStatusPhaseAlive` (pod.go). Pending pods are alive."""
    meta = pod.get("metadata") or {}
    deleted = parse_time(meta.get("deletionTimestamp"))
    grace = meta.get("deletionGracePeriodSeconds")
    if deleted is not None and grace is not None and now > deleted + timedelta(seconds=int(grace)):
        return False
    status = pod.get("status") or {}
    phase = status.get("phase")
    restart = (pod.get("spec") or {}).get("restartPolicy") or "Always"
    if phase == "Succeeded" and restart != "Always":
        return False
    if phase == "Failed" and restart == "Never":
        return False
    return not (phase == "Failed" and status.get("reason") == "Evicted")


def statefulset_owner(pod: Mapping[str, Any]) -> tuple[str, str] | None:
    """`isStatefulSetPod`: (name, uid) of an apps/* StatefulSet owner whose name prefixes the pod name."""
    meta = pod.get("metadata") or {}
    for owner in meta.get("ownerReferences") or []:
        if (
            owner.get("kind") == "StatefulSet"
            and str(owner.get("apiVersion", "")).startswith("apps/")
            and str(meta.get("name", "")).startswith(str(owner.get("name", "")))
        ):
            return str(owner.get("name")), str(owner.get("uid", ""))
    return None


def statefulset_pod_gone(
    pod: Mapping[str, Any],
    sts: Mapping[str, Any] | None,
    uid: str,
    *,
    require_dead: bool,
    now: datetime,
    check_uid: bool = True,
    ordinals_start: bool = True,
) -> str | None:
    """`isStatefulSetPodToDel` (require_dead=False) / `…ToGC` (True): why GC drops the pod, or None.

    `check_uid` and `ordinals_start` follow the release (UID check v1.12.19+/v1.13.0+; `spec.ordinals.start`
    honoured from v1.11.22/v1.12.31/v1.13.3/v1.14.0): before, `index >= replicas` decides alone."""
    if sts is None:
        return "its StatefulSet no longer exists"
    if (sts.get("metadata") or {}).get("deletionTimestamp"):
        return "its StatefulSet is being deleted"
    if check_uid and uid and (sts.get("metadata") or {}).get("uid") not in (None, uid):
        return "its StatefulSet was re-created (UID differs)"
    try:
        index = int(str(pod["metadata"]["name"]).rsplit("-", 1)[-1])
    except ValueError:
        return None
    spec = sts.get("spec") or {}
    start = int(((spec.get("ordinals") or {}).get("start")) or 0) if ordinals_start else 0
    replicas = int(spec.get("replicas", 1) if spec.get("replicas") is not None else 1)
    if index >= start + replicas and (not require_dead or not is_pod_alive(pod, now)):
        return f"its ordinal {index} is beyond the StatefulSet's replicas (scaled down)"
    return None


def pod_skip_reason(
    pod: Mapping[str, Any], statefulsets: Mapping[tuple[str, str], Any], behaviour: Behaviour, now: datetime
) -> str | None:
    """Why GC's pod loop ignores this pod (so none of its names are expected), or None if it looks at it."""
    if behaviour.hostnetwork_skip and (pod.get("spec") or {}).get("hostNetwork"):
        return "hostNetwork pods are skipped (v1.15.0+)"
    sts = statefulset_owner(pod) if behaviour.sts_rules else None
    if sts is not None:
        found = statefulsets.get((pod["metadata"].get("namespace", ""), sts[0]), _UNKNOWN)
        if found is _UNKNOWN:
            return None  # not collected: assume the StatefulSet still wants the pod
        gone = statefulset_pod_gone(
            pod,
            found,
            sts[1],
            require_dead=behaviour.sts_to_gc,
            now=now,
            check_uid=behaviour.sts_uid_check,
            ordinals_start=behaviour.sts_ordinals_start,
        )
        return f"the pod is a StatefulSet pod and {gone}" if gone else None
    if not is_pod_alive(pod, now):
        return "the pod is not alive (completed, failed, evicted or past its deletion grace period)"
    return None


def allocated_providers(pod: Mapping[str, Any]) -> list[str]:
    """Providers from `<p>.kubernetes.io/allocated=="true"` keys (GC uses Contains + ReplaceAll)."""
    annotations = (pod.get("metadata") or {}).get("annotations") or {}
    return sorted(
        k.replace(ALLOCATED_SUFFIX, "") for k, v in annotations.items() if ALLOCATED_SUFFIX in k and v == "true"
    )


def gc_pod_entries(
    pod: Mapping[str, Any],
    owner: str,
    subnets: Mapping[str, Mapping[str, Any]],
    statefulsets: Mapping[tuple[str, str], Any],
    behaviour: Behaviour,
    now: datetime,
    providers: list[str] | None = None,
) -> list[GcPodEntry]:
    """Every allocated provider of the pod (`providers`, when the caller has them: `allocated_providers(pod)`),
    with GC's decision for the name it forms."""
    meta = pod.get("metadata") or {}
    namespace = meta.get("namespace", "")
    annotations = meta.get("annotations") or {}
    skip = pod_skip_reason(pod, statefulsets, behaviour, now) if behaviour.gc_lsp else "this release has no LSP GC"
    out = []
    for provider in allocated_providers(pod) if providers is None else providers:
        ls = annotations.get(provider + LOGICAL_SWITCH_SUFFIX)
        subnet = subnets.get(ls) if ls else None
        expected, why = _provider_expected(
            ls,
            None if subnet is None else subnet_provider(subnet),
            behaviour.ovn_predicate,
            behaviour.ls_annotation_required,
        )
        if skip:
            expected, why = False, skip
        out.append(GcPodEntry(port_name(owner, namespace, provider), provider, meta.get("name", ""), ls, expected, why))
    return out


@lru_cache(maxsize=1024)
def _provider_expected(ls: str | None, provider: str | None, predicate: str, ls_required: bool) -> tuple[bool, str]:
    """GC's test of one allocated provider: its logical_switch annotation `ls` names a Subnet (of `provider`;
    None: no such Subnet) that the release's OVN-provider `predicate` accepts. Memoised: a cluster has a few
    switches and every pod port asks again."""
    if predicate == "none":
        return True, "v1.8.0 expects every allocated provider"
    if not ls:
        if not ls_required:  # before v1.11.7: Subnets().Get("") fails and is logged
            return False, "the pod has no logical_switch annotation for this provider (GC logs a lookup error)"
        return False, "the pod has no logical_switch annotation for this provider"
    if provider is None:
        return False, f"subnet {ls} does not exist"
    if not is_ovn_provider(provider, predicate):
        return False, f"subnet {ls} has provider {provider!r}, which the {predicate} test rejects"
    return True, f"subnet {ls} is an OVN subnet"


def node_port_names(
    nodes: Iterable[Mapping[str, Any]], ovn_eip_names: Iterable[str], behaviour: Behaviour
) -> list[str]:
    """`node-<n>` for nodes GC expects a join port for, plus node names that have an OvnEip."""
    eips = set(ovn_eip_names)
    out = []
    for node in nodes:
        meta = node.get("metadata") or {}
        allocated = (meta.get("annotations") or {}).get("ovn.kubernetes.io/allocated") == "true"
        if allocated or not behaviour.node_only_if_allocated:
            out.append(f"node-{meta.get('name')}")
        if meta.get("name") in eips:
            out.append(str(meta.get("name")))
    return out if behaviour.gc_lsp else []
