"""Resolve what the user named (VM, VMI or pod) into the objects Kube-OVN's naming and GC look at."""

from __future__ import annotations

from dataclasses import dataclass, field

from kubectl_ovn_lsp.kube.client import PODS, STATEFULSETS, VMIS, VMS, KubeClient, Resource
from kubectl_ovn_lsp.errors import Forbidden, NotFound, PluginError

PREFIXES = {
    "pod": "Pod", "pods": "Pod", "po": "Pod",
    "vm": "VirtualMachine", "vms": "VirtualMachine", "virtualmachine": "VirtualMachine",
    "virtualmachines": "VirtualMachine",
    "vmi": "VirtualMachineInstance", "vmis": "VirtualMachineInstance",
    "virtualmachineinstance": "VirtualMachineInstance", "virtualmachineinstances": "VirtualMachineInstance",
}


class UnknownKind(PluginError):
    message = 'unknown kind "%(prefix)s" in "%(target)s": use pod/, vm/ or vmi/'


@dataclass
class ResolvedWorkload:
    """The objects one explain looks at. `kind` is what the user's name resolved to."""

    kind: str
    name: str
    namespace: str
    vm: dict | None = None
    vmi: dict | None = None
    pods: list[dict] = field(default_factory=list)
    named_pod: str | None = None  # the launcher pod the user named, if any
    statefulsets: dict[tuple[str, str], dict | None] = field(default_factory=dict)


def parse_target(target: str) -> tuple[str | None, str]:
    """`vm/x` -> ("VirtualMachine", "x"); a bare name -> (None, name)."""
    if "/" not in target:
        return None, target
    prefix, _, name = target.partition("/")
    kind = PREFIXES.get(prefix.lower())
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
    vm = _find_unless_denied(client, VMS, name, namespace, denied)
    if vm is not None:
        return _from_vm_name(client, name, namespace, vm)
    vmi = _find_unless_denied(client, VMIS, name, namespace, denied)
    if vmi is not None:
        return _from_vmi(client, name, namespace, vmi)
    pod = client.find(PODS, name, namespace)
    if pod is None:
        if denied:
            raise denied[0]  # it may be a VM this user cannot see
        raise NotFound(f'no virtualmachine, virtualmachineinstance or pod named "{name}" in namespace "{namespace}"')
    return _from_pod(client, pod, namespace)


def _find_unless_denied(client: KubeClient, resource: Resource, name: str, namespace: str,
                        denied: list[Forbidden]) -> dict | None:
    try:
        return client.find(resource, name, namespace)
    except Forbidden as exc:
        denied.append(exc)
        return None


class Ambiguous(PluginError):
    message = '%(kind)s "%(name)s" exists in namespaces %(namespaces)s: choose one with -n'


def locate_namespace(client: KubeClient, target: str) -> str:
    """For `-A`: the one namespace holding the target (VMs first, then VMIs, then pods, as resolution does)."""
    kind, name = parse_target(target)
    order = {"VirtualMachine": [VMS], "VirtualMachineInstance": [VMIS], "Pod": [PODS]}.get(kind, [VMS, VMIS, PODS])
    denied: list[Forbidden] = []
    for resource in order:
        try:
            items = client.list(resource, None, field_selector=f"metadata.name={name}", missing_ok=True)
        except Forbidden as exc:
            denied.append(exc)
            continue
        namespaces = sorted({i["metadata"].get("namespace", "") for i in items if i["metadata"].get("name") == name})
        if len(namespaces) == 1:
            return namespaces[0]
        if namespaces:
            raise Ambiguous(kind=resource.kind.lower(), name=name, namespaces=", ".join(namespaces))
    if denied:
        raise denied[0]
    what = (kind or "virtualmachine, virtualmachineinstance or pod").lower()
    raise NotFound(f'no {what} named "{name}" in any namespace')


def _from_vm_name(client: KubeClient, name: str, namespace: str, vm: dict) -> ResolvedWorkload:
    vmi = client.find(VMIS, name, namespace)  # absent for a stopped VM
    return _with_pods(client, ResolvedWorkload("VirtualMachine", name, namespace, vm=vm, vmi=vmi))


def _from_vmi(client: KubeClient, name: str, namespace: str, vmi: dict) -> ResolvedWorkload:
    owner = _owner(vmi, "VirtualMachine")
    vm = client.find(VMS, owner, namespace) if owner else None
    kind = "VirtualMachine" if vm is not None else "VirtualMachineInstance"
    return _with_pods(client, ResolvedWorkload(kind, owner or name, namespace, vm=vm, vmi=vmi))


def _from_pod(client: KubeClient, pod: dict, namespace: str) -> ResolvedWorkload:
    """A launcher pod brings its VMI and VM along; the model decides whether ports are named after the VM."""
    vmi_name = _owner(pod, "VirtualMachineInstance")
    if vmi_name:
        vmi = client.find(VMIS, vmi_name, namespace)
        vm = client.find(VMS, vmi_name, namespace)
        workload = ResolvedWorkload("Pod", pod["metadata"]["name"], namespace, vm=vm, vmi=vmi,
                                    named_pod=pod["metadata"]["name"])
        workload = _with_pods(client, workload, vmi_name)
        if not any(p["metadata"]["name"] == pod["metadata"]["name"] for p in workload.pods):
            workload.pods.append(pod)
        return workload
    workload = ResolvedWorkload("Pod", pod["metadata"]["name"], namespace, pods=[pod],
                                named_pod=pod["metadata"]["name"])
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


def _owner(obj: dict, kind: str) -> str | None:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("kind") == kind:
            return ref.get("name")
    return None
