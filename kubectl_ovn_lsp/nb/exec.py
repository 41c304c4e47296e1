"""NB reads through `kubectl exec` into ovn-central, the way `kubectl ko nbctl` reaches the database.

The leader is the pod labelled `ovn-nb-leader=true` (set by Kube-OVN's ovn-leader-checker); when no
leader pod is Running and Ready we read from any ovn-central pod and say so (`leaderOnly: false`).
Only one allowlisted argv is ever executed: `ovsdb-client query`, whose transaction ends in an abort.
"""

from __future__ import annotations

from typing import Iterable

from kubectl_ovn_lsp.nb import query as nb_query
from kubectl_ovn_lsp.kube.client import PODS, KubeClient
from kubectl_ovn_lsp.errors import NbUnavailable, OvnCentralNotFound
from kubectl_ovn_lsp.model.records import NbLookup

CONTAINER = "ovn-central"


def _running_and_ready(pod: dict) -> bool:
    status = pod.get("status") or {}
    if status.get("phase") != "Running" or (pod.get("metadata") or {}).get("deletionTimestamp"):
        return False
    conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
    return conditions.get("Ready", "True") == "True"


def _has_container(pod: dict) -> bool:
    return any(c.get("name") == CONTAINER for c in (pod.get("spec") or {}).get("containers") or [])


def find_ovn_central(client: KubeClient, namespace: str) -> tuple[dict, bool]:
    """The NB leader pod, else any usable ovn-central pod; returns (pod, is_leader)."""
    leaders = client.list(PODS, namespace, label_selector="app=ovn-central,ovn-nb-leader=true")
    for pod in sorted(leaders, key=lambda p: p["metadata"]["name"]):
        if _running_and_ready(pod) and _has_container(pod):
            return pod, True
    others = client.list(PODS, namespace, label_selector="app=ovn-central")
    for pod in sorted(others, key=lambda p: p["metadata"]["name"]):
        if _running_and_ready(pod) and _has_container(pod):
            return pod, False
    raise OvnCentralNotFound(namespace=namespace)


def lookup_via_exec(
    client: KubeClient, ovn_namespace: str, names: Iterable[str], pod_keys: Iterable[str]
) -> NbLookup:
    """Select the candidate ports and the workload's ports by `external_ids:pod` in one exec."""
    return read_via_exec(client, ovn_namespace, nb_query.Selection.of(names, pod_keys))


def read_via_exec(client: KubeClient, ovn_namespace: str, selection: nb_query.Selection) -> NbLookup:
    """Run the selection as one `ovsdb-client query` in the ovn-central pod (leader first)."""
    pod, is_leader = find_ovn_central(client, ovn_namespace)
    pod_name = pod["metadata"]["name"]
    argv = nb_query.selection_argv(selection, timeout=client.timeout)
    nb_query.check_allowed_argv(argv)  # the only command this plugin ever runs in a pod
    result = client.exec(ovn_namespace, pod_name, CONTAINER, argv)
    endpoint = f"{ovn_namespace}/{pod_name}"
    if result.exit_code != 0:
        reason = " ".join((result.stderr or result.stdout).split()) or f"exit code {result.exit_code}"
        raise NbUnavailable(endpoint=endpoint, reason=f"ovsdb-client query failed: {reason}")
    try:
        ports = nb_query.parse_query_output(result.stdout)
    except nb_query.NbQueryError as exc:
        raise NbUnavailable(endpoint=endpoint, reason=str(exc)) from None
    return NbLookup(ports=tuple(ports), via="exec", endpoint=endpoint, leader_only=is_leader)
