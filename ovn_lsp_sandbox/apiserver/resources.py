"""Resource registry and legacy discovery documents: what lets kubectl resolve `vm`, `net-attach-def` or `deploy`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

READ_VERBS = ("get", "list", "watch")
ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True)
class ResourceType:
    """One REST resource: its place in the URL space and the names kubectl may use for it."""

    group: str  # "" for core
    version: str
    plural: str
    kind: str
    namespaced: bool = True
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    subresources: tuple[str, ...] = ()  # e.g. ("log", "exec") for pods
    singular: str = ""

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def list_kind(self) -> str:
        return self.kind + "List"


def _r(
    gv: str,
    plural: str,
    kind: str,
    namespaced: bool = True,
    short: tuple[str, ...] = (),
    cats: tuple[str, ...] = (),
    subs: tuple[str, ...] = (),
) -> ResourceType:
    group, _, version = gv.rpartition("/")
    return ResourceType(group, version, plural, kind, namespaced, short, cats, subs, kind.lower())


# The resources a Kube-OVN + KubeVirt + Multus cluster always serves, with the names the real servers advertise.
BUILTIN: tuple[ResourceType, ...] = (
    _r("v1", "pods", "Pod", short=("po",), cats=("all",), subs=("log", "exec")),
    _r("v1", "namespaces", "Namespace", False, ("ns",)),
    _r("v1", "nodes", "Node", False, ("no",)),
    _r("v1", "services", "Service", short=("svc",), cats=("all",)),
    _r("v1", "secrets", "Secret"),
    _r("v1", "configmaps", "ConfigMap", short=("cm",)),
    _r("v1", "serviceaccounts", "ServiceAccount", short=("sa",)),
    _r("v1", "endpoints", "Endpoints", short=("ep",)),
    _r("v1", "events", "Event", short=("ev",)),
    _r("apps/v1", "deployments", "Deployment", short=("deploy",), cats=("all",)),
    _r("apps/v1", "statefulsets", "StatefulSet", short=("sts",), cats=("all",)),
    _r("apps/v1", "replicasets", "ReplicaSet", short=("rs",), cats=("all",)),
    _r("apps/v1", "daemonsets", "DaemonSet", short=("ds",), cats=("all",)),
    _r(
        "k8s.cni.cncf.io/v1", "network-attachment-definitions", "NetworkAttachmentDefinition", short=("net-attach-def",)
    ),
    _r("kubevirt.io/v1", "virtualmachines", "VirtualMachine", short=("vm", "vms"), cats=("all",)),
    _r("kubevirt.io/v1", "virtualmachineinstances", "VirtualMachineInstance", short=("vmi", "vmis"), cats=("all",)),
    _r(
        "kubevirt.io/v1",
        "virtualmachineinstancemigrations",
        "VirtualMachineInstanceMigration",
        short=("vmim", "vmims"),
        cats=("all",),
    ),
    _r("kubeovn.io/v1", "subnets", "Subnet", False),
    _r("kubeovn.io/v1", "ips", "IP", False, ("ip",)),
    _r("kubeovn.io/v1", "vpcs", "Vpc", False),
    _r("kubeovn.io/v1", "vips", "Vip", False, ("vip",)),
    _r("kubeovn.io/v1", "ovn-eips", "OvnEip", False, ("oeip",)),
    _r("kubeovn.io/v1", "ovn-fips", "OvnFip", False, ("ofip",)),
    _r("kubeovn.io/v1", "provider-networks", "ProviderNetwork", False),
    _r("kubeovn.io/v1", "vlans", "Vlan", False),
)


def plural_of(kind: str) -> str:
    """How a CRD author would usually pluralise an unknown kind (the lead's objects may carry any kind)."""
    low = kind.lower()
    if low.endswith(("s", "x", "ch", "sh")):
        return low + "es"
    if low.endswith("y") and low[-2:-1] not in "aeiou":
        return low[:-1] + "ies"
    return low + "s"


@dataclass
class Registry:
    """All served resources, indexed the ways the router and the store need them."""

    types: list[ResourceType] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_path = {(t.group, t.version, t.plural): t for t in self.types}
        self._by_kind = {(t.group, t.kind): t for t in self.types}

    def lookup(self, group: str, version: str, plural: str) -> ResourceType | None:
        return self._by_path.get((group, version, plural))

    def for_object(self, obj: dict[str, Any]) -> ResourceType:
        """The type serving `obj`, registering a generic one for an apiVersion/kind nobody declared."""
        group, _, version = str(obj.get("apiVersion", "v1")).rpartition("/")
        kind = str(obj.get("kind", ""))
        rt = self._by_kind.get((group, kind))
        if rt is not None and rt.version == version:
            return rt
        if rt is not None:  # same kind in another version: serve that version too
            rt = ResourceType(
                group,
                version,
                rt.plural,
                kind,
                rt.namespaced,
                rt.short_names,
                rt.categories,
                rt.subresources,
                rt.singular,
            )
        else:
            namespaced = bool(obj.get("metadata", {}).get("namespace"))
            rt = ResourceType(group, version, plural_of(kind), kind, namespaced, singular=kind.lower())
        self.add(rt)
        return rt

    def add(self, rt: ResourceType) -> None:
        if (rt.group, rt.version, rt.plural) in self._by_path:
            return
        self.types.append(rt)
        self._by_path[(rt.group, rt.version, rt.plural)] = rt
        self._by_kind.setdefault((rt.group, rt.kind), rt)

    def group_versions(self) -> dict[str, list[str]]:
        """Non-core groups with their versions, in registration order."""
        out: dict[str, list[str]] = {}
        for t in self.types:
            if t.group and t.version not in out.setdefault(t.group, []):
                out[t.group].append(t.version)
        return out

    # -- discovery documents (legacy JSON: kubectl falls back to it from aggregated discovery) --

    def api_versions(self, server_address: str) -> dict[str, Any]:
        return {
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
        }

    def api_group_list(self) -> dict[str, Any]:
        return {
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": [_group_doc(g, vs) for g, vs in self.group_versions().items()],
        }

    def api_group(self, group: str) -> dict[str, Any] | None:
        versions = self.group_versions().get(group)
        if not versions:
            return None
        return {"kind": "APIGroup", "apiVersion": "v1", **_group_doc(group, versions)}

    def resource_list(self, group: str, version: str) -> dict[str, Any] | None:
        members = [t for t in self.types if t.group == group and t.version == version]
        if not members:
            return None
        gv = f"{group}/{version}" if group else version
        return {
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": gv,
            "resources": list(_resource_docs(members)),
        }


def _group_doc(group: str, versions: list[str]) -> dict[str, Any]:
    gvs = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
    return {"name": group, "versions": gvs, "preferredVersion": gvs[0]}


def _resource_docs(members: Iterable[ResourceType]) -> Iterable[dict[str, Any]]:
    for t in members:
        doc: dict[str, Any] = {
            "name": t.plural,
            "singularName": t.singular,
            "namespaced": t.namespaced,
            "kind": t.kind,
            "verbs": list(ALL_VERBS),
        }
        if t.short_names:
            doc["shortNames"] = list(t.short_names)
        if t.categories:
            doc["categories"] = list(t.categories)
        yield doc
        for sub in t.subresources:
            sub_kind, verbs = ("PodExecOptions", ["create", "get"]) if sub == "exec" else (t.kind, ["get"])
            yield {
                "name": f"{t.plural}/{sub}",
                "singularName": "",
                "namespaced": t.namespaced,
                "kind": sub_kind,
                "verbs": verbs,
            }
