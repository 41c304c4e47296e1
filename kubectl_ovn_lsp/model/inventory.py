"""The inventory: every object Kube-OVN's GC reads for its keep-set, read once, as plain API dicts (IP CRs as
`IpCr` records: 50,000 of them in a 10,000-pod audit).

GC is one cluster-wide pass (docs/kube-ovn-facts.md, "GC of logical switch ports"): it lists pods, VMs, nodes
and VIPs, builds the keep-set, lists the LSPs, logs keep-set ∖ NB and deletes NB ∖ keep-set. The edges fill
this record (`kube/inventory.py`: paged lists for `audit`, a few GETs for `explain`); the replay reads nothing
else. `now` is the moment of the read, so the model never reads the clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Key = tuple[str, str]  # (namespace, name)

# The kinds GC reads, by the plural the API uses: `unreadable` names them.
PODS, VMS, VMIS, NADS, SUBNETS = (
    "pods",
    "virtualmachines",
    "virtualmachineinstances",
    "network-attachment-definitions",
    "subnets",
)
STATEFULSETS, NODES, VIPS, OVN_EIPS, IPS = "statefulsets", "nodes", "vips", "ovn-eips", "ips"


@dataclass(frozen=True)
class Inventory:
    """What the edges read. Mappings hold every object of the kind in scope (lists), or exactly the objects
    looked up (explain: None = looked up and missing). A kind in `unreadable` (e.g. 403) is unknown, not empty.
    """

    now: datetime
    pods: tuple[dict[str, Any], ...] = ()
    vms: Mapping[Key, dict[str, Any]] = field(default_factory=dict)
    vmis: Mapping[Key, dict[str, Any]] = field(default_factory=dict)
    nads: Mapping[Key, dict[str, Any] | None] = field(default_factory=dict)
    subnets: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    statefulsets: Mapping[Key, dict[str, Any] | None] = field(default_factory=dict)
    nodes: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    vips: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    ovn_eips: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    unreadable: Mapping[str, str] = field(default_factory=dict)  # plural -> why it could not be read
    ips: Mapping[str, IpCr] = field(default_factory=dict)  # kubeovn.io IP CRs by name (model/ip_crs.py)
    scope: str | None = None  # the namespace the workload lists cover; None: every namespace (or explain's GETs)


def key_of(obj: Mapping[str, Any]) -> Key:
    """(namespace, name) of an API object ("" namespace for cluster-scoped ones)."""
    meta = obj.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


def by_key(objects: list[dict[str, Any]] | tuple[dict[str, Any], ...]) -> dict[Key, dict[str, Any]]:
    """Index namespaced objects by (namespace, name)."""
    return {key_of(obj): obj for obj in objects}


def by_name(objects: list[dict[str, Any]] | tuple[dict[str, Any], ...]) -> dict[str, dict[str, Any]]:
    """Index cluster-scoped objects by name."""
    return {key_of(obj)[1]: obj for obj in objects}


def owner_name(obj: Mapping[str, Any], kind: str) -> str | None:
    """The name of the first owner reference of `kind` (any apiVersion), or None.

    Resolution only: Kube-OVN's own ownership tests (isVMPod's apiVersion prefix, isStatefulSetPod's name
    prefix) live in `naming.vmi_owner` and `gc_pods.statefulset_owner`.
    """
    refs = (obj.get("metadata") or {}).get("ownerReferences") or []
    for ref in refs if isinstance(refs, list) else []:
        if isinstance(ref, Mapping) and ref.get("kind") == kind and ref.get("name"):
            return str(ref["name"])
    return None


POD_SPEC_FIELDS = ("nodeName", "hostNetwork", "restartPolicy")
POD_STATUS_FIELDS = ("phase", "reason")


def slim(obj: dict[str, Any]) -> dict[str, Any]:
    """An object without `metadata.managedFields` (server-side apply bookkeeping, often a third of a pod's JSON),
    which nothing in GC or the model reads."""
    meta = obj.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        obj["metadata"] = {k: v for k, v in meta.items() if k != "managedFields"}
    return obj


def slim_pod(pod: dict[str, Any], shared: SharedValues | None = None) -> dict[str, Any]:
    """A pod as GC reads it: metadata, and of spec/status only what `isPodAlive`, the hostNetwork skip and the
    node name use; containers, volumes and conditions are dropped at read time to keep a 10k-pod audit small.
    With `shared`, repeated annotation and label values are kept once across the pods of a list."""
    pod = slim(pod)
    meta = pod.get("metadata")
    if shared is not None and isinstance(meta, dict):
        shared.share(pod)  # apiVersion, kind
        shared.share(meta)  # namespace, creation time
        for field_name in ("annotations", "labels"):
            values = meta.get(field_name)
            if type(values) is dict:
                shared.share(values)
    spec, status = pod.get("spec"), pod.get("status")
    if isinstance(spec, dict):
        pod["spec"] = {k: spec[k] for k in POD_SPEC_FIELDS if k in spec}
    if isinstance(status, dict):
        pod["status"] = {k: status[k] for k in POD_STATUS_FIELDS if k in status}
    return pod


IP_SPEC_FIELDS = ("podName", "namespace", "subnet", "ipAddress", "macAddress", "podType", "nodeName")
IP_RESERVED = "ovn.kubernetes.io/ip_reserved"  # the one label of an IP CR the checks read (model/ip_crs.py)


@dataclass(frozen=True, slots=True)  # one per IP CR: 50,000 in an audit of 10,000 pods
class IpCr:
    """An IP CR (`ips.kubeovn.io`) as the checks read it (model/ip_crs.py): its name, whether it carries
    `ovn.kubernetes.io/ip_reserved=true`, its ownerReferences, and the spec fields `gcIP` and the allocation use,
    each as the API gave it (None: absent; the checks read them as strings, `str(value or "")`).

    A record rather than the API object: 50,000 IP CRs held as nested dicts were ~45 MB of a 10,000-pod audit
    (three dicts each), alive through the replay, where the audit's peak RSS is; as records, ~20 MB."""

    name: str
    reserved: bool = False
    owner_refs: Any = None  # metadata.ownerReferences as listed
    pod_name: Any = None
    namespace: Any = None
    subnet: Any = None
    ip_address: Any = None
    mac_address: Any = None
    pod_type: Any = None
    node_name: Any = None


def slim_ip(ip: dict[str, Any], shared: SharedValues | None = None) -> IpCr:
    """An IP CR read as its record (`IpCr`): attachment lists, container IDs, other labels and metadata are dropped
    as pages arrive. With `shared`, repeated spec values (subnet, namespace, node, type) are kept once."""
    meta, spec = ip.get("metadata"), ip.get("spec")
    meta = meta if isinstance(meta, dict) else {}
    fields = {k: spec[k] for k in IP_SPEC_FIELDS if k in spec} if isinstance(spec, dict) else {}
    if shared is not None:
        shared.share(fields)
    labels = meta.get("labels")
    return IpCr(
        name=str(meta.get("name") or ""),
        reserved=isinstance(labels, dict) and labels.get(IP_RESERVED) == "true",
        owner_refs=meta.get("ownerReferences"),
        pod_name=fields.get("podName"),
        namespace=fields.get("namespace"),
        subnet=fields.get("subnet"),
        ip_address=fields.get("ipAddress"),
        mac_address=fields.get("macAddress"),
        pod_type=fields.get("podType"),
        node_name=fields.get("nodeName"),
    )


def ips_by_name(ips: list[IpCr] | tuple[IpCr, ...]) -> dict[str, IpCr]:
    """Index IP CR records by name (as `by_name` does API objects)."""
    return {ip.name: ip for ip in ips}


# What a VM and a VMI carry that neither GC nor the model reads: the machine (devices, disks, memory) and its
# volumes. Networks, template annotations and labels, run strategy and the VMI's status stay.
VM_UNREAD = (
    ("spec", "template", "spec", "domain"),
    ("spec", "template", "spec", "volumes"),
    ("spec", "dataVolumeTemplates"),
)
VMI_UNREAD = (("spec", "domain"), ("spec", "volumes"))


def slim_vm(obj: dict[str, Any], unread: tuple[tuple[str, ...], ...] = VM_UNREAD) -> dict[str, Any]:
    """A VM (or, with `VMI_UNREAD`, a VMI) as the model reads it: `slim`, and without the fields of `unread`
    (a third of a VM's memory in a 2,000-VM audit). Changed in place: the object was just decoded."""
    obj = slim(obj)
    for path in unread:
        here: Any = obj
        for key in path[:-1]:
            here = here.get(key) if isinstance(here, dict) else None
        if isinstance(here, dict):
            here.pop(path[-1], None)
    return obj


def slim_vmi(obj: dict[str, Any]) -> dict[str, Any]:
    return slim_vm(obj, VMI_UNREAD)


class SharedValues:
    """One copy of each repeated string value of a pod's annotations and labels across the pods of a list.

    Why: a pod carries ~9 Kube-OVN annotations per network, most of them the same for every pod of that network
    (`true`, the CIDR, gateway, router, NIC type, switch): a 10,000-pod audit held ~20 MB of equal strings. A key
    whose values turn out distinct (IP and MAC addresses, names) stops being tracked after `per_key` values, so the memo
    stays small (keys × `per_key`). Only string values are touched: shapes are checked later, as before.
    """

    def __init__(self, per_key: int = 1024) -> None:
        self.per_key = per_key
        self._by_key: dict[str, dict[str, str] | None] = {}

    def share(self, mapping: dict[str, Any]) -> None:
        """Replace each value of `mapping` by the copy seen before, if any (in place; the same keys and values)."""
        by_key = self._by_key
        for key, value in mapping.items():
            if type(value) is not str or type(key) is not str:
                continue
            seen = by_key.get(key, _NEW)
            if seen is None:
                continue  # a key with distinct values: not worth a memo
            if seen is _NEW:
                seen = by_key[key] = {}
            shared = seen.get(value)
            if shared is not None:
                mapping[key] = shared  # an existing key: allowed while iterating
            elif len(seen) < self.per_key:
                seen[value] = value
            else:
                by_key[key] = None


_NEW: dict[str, str] = {}


def slim_node(node: dict[str, Any]) -> dict[str, Any]:
    """A Node as GC reads it: its name and annotations (`ovn.kubernetes.io/allocated`); no status (images…)."""
    node = slim(node)
    return {k: node[k] for k in ("apiVersion", "kind", "metadata") if k in node}
