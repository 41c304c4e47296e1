"""Resolve what the user named (VM, VMI, pod, node or port name) into the objects Kube-OVN's naming and GC read.

`explain` reads only these few objects (GETs, and one list of launcher pods by label) into an `Inventory`, the
same record `audit` fills with paged lists, so both run the same replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kubectl_ovn_lsp.kube.client import NADS, NODES, PODS, STATEFULSETS, SUBNETS, VMIS, VMS, KubeClient, Resource
from kubectl_ovn_lsp.kube.errors import Ambiguous, Forbidden, NotFound, UnknownKind
from kubectl_ovn_lsp.kube.inventory import OVN_EIPS, VIPS
from kubectl_ovn_lsp.model.inventory import Inventory, IpCr, by_name, owner_name
from kubectl_ovn_lsp.model.targets import TARGET_PREFIXES


@dataclass
class ResolvedWorkload:
    """The objects one explain looks at. `kind` is what the user's name resolved to."""

    kind: str
    name: str
    namespace: str
    vm: dict[str, Any] | None = None
    vmi: dict[str, Any] | None = None
    pods: list[dict[str, Any]] = field(default_factory=list)
    named_pod: str | None = None  # the launcher pod the user named, if any
    statefulsets: dict[tuple[str, str], dict[str, Any] | None] = field(default_factory=dict)


def parse_target(target: str) -> tuple[str | None, str]:
    """`vm/x` -> ("VirtualMachine", "x"); a bare name -> (None, name)."""
    if "/" not in target:
        return None, target
    prefix, _, name = target.partition("/")
    kind = TARGET_PREFIXES.get(prefix.lower())
    if kind is None or not name:
        raise UnknownKind(prefix=prefix, target=target)
    return kind, name


def resolve(client: KubeClient, target: str, namespace: str) -> ResolvedWorkload:
    """Find the workload: unprefixed names try a VM, then a VMI, then a pod (KubeVirt CRDs may be absent)."""
    kind, name = parse_target(target)
    if kind == "VirtualMachine":
        vm = client.get(VMS, name, namespace)
        return _from_vm_name(client, name, namespace, vm)
    if kind == "VirtualMachineInstance":
        vmi = client.get(VMIS, name, namespace)
        return _from_vmi(client, name, namespace, vmi)
    if kind == "Pod":
        return _from_pod(client, client.get(PODS, name, namespace), namespace)
    denied: list[Forbidden] = []  # without KubeVirt RBAC a plain pod must still resolve
    found_vm = _find_unless_denied(client, VMS, name, namespace, denied)
    if found_vm is not None:
        return _from_vm_name(client, name, namespace, found_vm)
    found_vmi = _find_unless_denied(client, VMIS, name, namespace, denied)
    if found_vmi is not None:
        return _from_vmi(client, name, namespace, found_vmi)
    pod = client.find(PODS, name, namespace)
    if pod is None:
        if denied:
            raise denied[0]  # it may be a VM this user cannot see
        raise NotFound(f'no virtualmachine, virtualmachineinstance or pod named "{name}" in namespace "{namespace}"')
    return _from_pod(client, pod, namespace)


def _find_unless_denied(
    client: KubeClient, resource: Resource, name: str, namespace: str, denied: list[Forbidden]
) -> dict[str, Any] | None:
    try:
        return client.find(resource, name, namespace)
    except Forbidden as exc:
        denied.append(exc)
        return None


def locate_namespace(client: KubeClient, target: str) -> str:
    """For `-A`: the one namespace holding the target (VMs first, then VMIs, then pods, as resolution does)."""
    kind, name = parse_target(target)
    order = {"VirtualMachine": [VMS], "VirtualMachineInstance": [VMIS], "Pod": [PODS]}.get(
        kind or "", [VMS, VMIS, PODS]
    )
    denied: list[Forbidden] = []
    for resource in order:
        try:
            items = client.list(resource, None, field_selector=f"metadata.name={name}", missing_ok=True)
        except Forbidden as exc:
            denied.append(exc)
            continue
        namespaces = sorted({i["metadata"].get("namespace", "") for i in items if i["metadata"].get("name") == name})
        if len(namespaces) == 1:
            return str(namespaces[0])
        if namespaces:
            raise Ambiguous(kind=resource.kind.lower(), name=name, namespaces=", ".join(namespaces))
    if denied:
        raise denied[0]
    what = (kind or "virtualmachine, virtualmachineinstance or pod").lower()
    raise NotFound(f'no {what} named "{name}" in any namespace')


def _from_vm_name(client: KubeClient, name: str, namespace: str, vm: dict[str, Any]) -> ResolvedWorkload:
    vmi = client.find(VMIS, name, namespace)  # absent for a stopped VM
    return _with_pods(client, ResolvedWorkload("VirtualMachine", name, namespace, vm=vm, vmi=vmi))


def _from_vmi(client: KubeClient, name: str, namespace: str, vmi: dict[str, Any]) -> ResolvedWorkload:
    owner = _owner(vmi, "VirtualMachine")
    vm = client.find(VMS, owner, namespace) if owner else None
    kind = "VirtualMachine" if vm is not None else "VirtualMachineInstance"
    return _with_pods(client, ResolvedWorkload(kind, owner or name, namespace, vm=vm, vmi=vmi))


def _from_pod(client: KubeClient, pod: dict[str, Any], namespace: str) -> ResolvedWorkload:
    """A launcher pod brings its VMI and VM along; the model decides whether ports are named after the VM."""
    vmi_name = _owner(pod, "VirtualMachineInstance")
    if vmi_name:
        vmi = client.find(VMIS, vmi_name, namespace)
        vm = client.find(VMS, vmi_name, namespace)
        workload = ResolvedWorkload(
            "Pod", pod["metadata"]["name"], namespace, vm=vm, vmi=vmi, named_pod=pod["metadata"]["name"]
        )
        workload = _with_pods(client, workload, vmi_name)
        if not any(p["metadata"]["name"] == pod["metadata"]["name"] for p in workload.pods):
            workload.pods.append(pod)
        return workload
    workload = ResolvedWorkload(
        "Pod", pod["metadata"]["name"], namespace, pods=[pod], named_pod=pod["metadata"]["name"]
    )
    _add_statefulsets(client, workload)
    return workload


def _with_pods(client: KubeClient, workload: ResolvedWorkload, vmi_name: str | None = None) -> ResolvedWorkload:
    """Launcher pods owned by the VMI: the running one and a migration target, if any."""
    vmi_name = vmi_name or workload.name
    candidates = client.list(PODS, workload.namespace, label_selector="kubevirt.io=virt-launcher")
    workload.pods = sorted(
        (p for p in candidates if _owner(p, "VirtualMachineInstance") == vmi_name),
        key=lambda p: p["metadata"].get("creationTimestamp") or "",
    )
    return workload


def _add_statefulsets(client: KubeClient, workload: ResolvedWorkload) -> None:
    for pod in workload.pods:
        owner = _owner(pod, "StatefulSet")
        if owner:
            workload.statefulsets[(workload.namespace, owner)] = client.find(STATEFULSETS, owner, workload.namespace)


_owner = owner_name


def workload_inventory(
    client: KubeClient, workload: ResolvedWorkload, nad_keys: list[tuple[str, str]], now: datetime
) -> Inventory:
    """The few objects one workload's replay reads: its VM/VMI/pods, StatefulSets, the NADs it references
    (None when missing) and every Subnet."""
    vms = {(workload.namespace, workload.vm["metadata"]["name"]): workload.vm} if workload.vm else {}
    vmis = {(workload.namespace, workload.vmi["metadata"]["name"]): workload.vmi} if workload.vmi else {}
    nads = {(ns, name): client.find(NADS, name, ns) for ns, name in sorted(set(nad_keys))}
    subnets = by_name(client.list(SUBNETS, missing_ok=True))
    return Inventory(
        now=now,
        pods=tuple(workload.pods),
        vms=vms,
        vmis=vmis,
        nads=nads,
        subnets=subnets,
        statefulsets=dict(workload.statefulsets),
    )


def node_inventory(client: KubeClient, name: str, now: datetime) -> Inventory:
    """One Node (404 → 'node "x" not found'); an OvnEip of the same name makes `<node>` a kept port too."""
    node = client.get(NODES, name)
    eip = client.find(OVN_EIPS, name)
    return Inventory(now=now, nodes={name: node}, ovn_eips={name: eip} if eip else {})


def vip_inventory(client: KubeClient, name: str, now: datetime) -> Inventory:
    """One Vip (404 → 'vip "x" not found') and the Subnets its port's provider comes from."""
    vip = client.get(VIPS, name)
    return Inventory(now=now, vips={name: vip}, subnets=by_name(client.list(SUBNETS, missing_ok=True)))


def find_vip(client: KubeClient, name: str, namespace: str) -> dict[str, Any] | None:
    """The Vip `name` whose port lives in `namespace` (its spec.namespace), or None (Vips are cluster-scoped)."""
    vip = client.find(VIPS, name)
    if vip is not None and str((vip.get("spec") or {}).get("namespace") or "") == namespace:
        return vip
    return None


def find_any_vip(client: KubeClient, name: str) -> dict[str, Any] | None:
    """The Vip `name` wherever its port lives (`-A`)."""
    return client.find(VIPS, name)


def exists(client: KubeClient, namespace: str, name: str) -> bool:
    """Whether a VM, VMI or pod of that name lives in the namespace (a port name's owner)."""
    return any(client.find(r, name, namespace) is not None for r in (VMS, VMIS, PODS))


def listed_names(
    client: KubeClient, kind: str | None, namespace: str | None, name: str | None = None
) -> list[tuple[str, str]]:
    """(namespace, name) of what a target of `kind` could have named (None: a VM, VMI or pod), in `namespace`
    (None: every namespace), for "did you mean" after a not-found; with `name`, only objects of that name (a field
    selector: which namespaces hold it). A kind the user may not list, or that is not served, adds nothing: a
    hint is never worth an error of its own."""
    if kind == "Node":
        resources = [NODES]
    elif kind == "Vip":
        resources = [VIPS]
    else:
        order = {"VirtualMachine": [VMS], "VirtualMachineInstance": [VMIS], "Pod": [PODS]}
        resources = order.get(kind or "", [VMS, VMIS, PODS])
    found: list[tuple[str, str]] = []
    for resource in resources:
        try:
            items = client.list(
                resource,
                namespace if resource.namespaced else None,
                field_selector=f"metadata.name={name}" if name else None,
                missing_ok=True,
            )
        except (Forbidden, NotFound):
            continue
        found += [(str(i["metadata"].get("namespace") or ""), str(i["metadata"].get("name") or "")) for i in items]
    return found


def ip_crs_of(client: KubeClient, namespace: str, name: str) -> tuple[dict[str, IpCr], dict[str, dict[str, Any]]]:
    """(the IP CRs an owner `namespace/name` may have left, every Subnet): one GET per name its networks can
    have (`<name>.<ns>`, and `<name>.<ns>.<provider>` for every Subnet provider: IP CRs carry no owner label),
    each IP CR trimmed as audit's lists trim them. A missing IP CRD finds none."""
    from kubectl_ovn_lsp.kube.inventory import IPS
    from kubectl_ovn_lsp.model.inventory import slim_ip

    subnets = by_name(client.list(SUBNETS, missing_ok=True))
    providers = {str((s.get("spec") or {}).get("provider") or "") for s in subnets.values()} - {"", "ovn"}
    names = [f"{name}.{namespace}"] + [f"{name}.{namespace}.{p}" for p in sorted(providers)]
    found = {}
    for candidate in names:
        ip = client.find(IPS, candidate)
        if ip is not None and str((ip.get("spec") or {}).get("namespace") or "") == namespace:
            found[candidate] = slim_ip(ip)
    return found, subnets


def ip_cr(client: KubeClient, name: str) -> IpCr | None:
    """The IP CR of that name (a port name as GC would log it), trimmed; None when there is none."""
    from kubectl_ovn_lsp.kube.inventory import IPS
    from kubectl_ovn_lsp.model.inventory import slim_ip

    found = client.find(IPS, name)
    return slim_ip(found) if found is not None else None
