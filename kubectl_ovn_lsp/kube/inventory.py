"""Read the inventory GC's replay needs: paged lists for `audit`, a few GETs for `explain`.

kubectl-tree's shape: list every kind once (never one request per workload), index, then walk in pure code.
Lists follow `continue` in pages of `--chunk-size` (client-go's pager, with its full-list fallback on 410).
A kind the user may not list (403) is recorded as unreadable and named once in the notes; a kind whose API is
not served (KubeVirt or Kube-OVN CRD absent) is empty. IP CRs are the exception: what they cannot show (leaks,
duplicate addresses) must not read as "none", so a missing IP CRD is recorded as unreadable too, and the notes
say the IP checks were skipped. Kubernetes is read before NB, as GC does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from kubectl_ovn_lsp.kube.client import NADS, NODES, PODS, STATEFULSETS, SUBNETS, VMIS, VMS, KubeClient, Resource
from kubectl_ovn_lsp.kube.errors import Forbidden, NotFound
from kubectl_ovn_lsp.model.inventory import (
    Inventory,
    SharedValues,
    by_key,
    by_name,
    ips_by_name,
    slim,
    slim_ip,
    slim_node,
    slim_pod,
    slim_vm,
    slim_vmi,
)

VIPS = Resource("Vip", "vips", "kubeovn.io", namespaced=False)
OVN_EIPS = Resource("OvnEip", "ovn-eips", "kubeovn.io", namespaced=False)
IPS = Resource("IP", "ips", "kubeovn.io", namespaced=False)
NO_IP_CRD = "the kubeovn.io IP CRD is not served"
CRD_KINDS = {VMS.plural, VMIS.plural, NADS.plural, SUBNETS.plural, VIPS.plural, OVN_EIPS.plural}


def list_scope(
    client: KubeClient,
    namespace: str | None,
    now: datetime,
    *,
    chunk_size: int = 500,
    progress: Callable[[str], None] = lambda _: None,
) -> Inventory:
    """Every object GC reads for the scope: `namespace`, or the whole cluster (None, nodes included).

    NADs, Subnets, Vips and OvnEips are always listed cluster-wide (a pod may use a NAD of another namespace).
    Raises Kubernetes errors other than 403 (an API failure midway is one error, never a partial inventory).
    """
    unreadable: dict[str, str] = {}

    def read(resource: Resource, ns: str | None) -> list[Any]:
        progress(f"listing {resource.plural}…")
        # IP CRs: every value memoized, so that the IP CRs of one pod (one per network) share its `podName`
        # (~3 MB at 50,000 IP CRs); the memo lives for this list only.
        shared = SharedValues(per_key=1 << 20) if resource is IPS else SharedValues()
        trim: Callable[[dict[str, Any]], Any] = {
            PODS.plural: lambda pod: slim_pod(pod, shared),
            NODES.plural: slim_node,
            IPS.plural: lambda ip: slim_ip(ip, shared),  # an IpCr record, not a dict
            VMS.plural: slim_vm,
            VMIS.plural: slim_vmi,
        }.get(resource.plural, slim)
        count = 0

        def keep(item: dict[str, Any]) -> Any:  # counts as pages arrive: a large read shows it moving
            nonlocal count
            count += 1
            if count % 500 == 0:
                progress(f"listing {resource.plural}… {count:,}")
            return trim(item)

        try:
            return client.list_paged(resource, ns, limit=chunk_size, missing_ok=resource.plural in CRD_KINDS, keep=keep)
        except Forbidden as exc:
            unreadable[resource.plural] = str(exc)
            return []
        except NotFound:  # only IPS gets here (every other CRD kind is missing_ok)
            unreadable[resource.plural] = NO_IP_CRD
            return []

    pods = read(PODS, namespace)
    vms = read(VMS, namespace)
    vmis = read(VMIS, namespace)
    statefulsets = read(STATEFULSETS, namespace)
    nads = read(NADS, None)
    if NADS.plural in unreadable and namespace:
        del unreadable[NADS.plural]
        nads = read(NADS, namespace)  # may list this namespace only: NADs of others stay unknown
    subnets = read(SUBNETS, None)
    nodes = read(NODES, None) if namespace is None else []
    vips = read(VIPS, None)
    eips = read(OVN_EIPS, None)
    ips = read(IPS, None)
    if namespace is not None:
        vips = [v for v in vips if ((v.get("spec") or {}).get("namespace") or "") == namespace]
    return Inventory(
        now=now,
        pods=tuple(pods),
        vms=by_key(vms),
        vmis=by_key(vmis),
        nads=by_key(nads),
        subnets=by_name(subnets),
        statefulsets=by_key(statefulsets),
        nodes=by_name(nodes),
        vips=by_name(vips),
        ovn_eips=by_name(eips),
        unreadable=unreadable,
        ips=ips_by_name(ips),
        scope=namespace,
    )
