"""Logical switch port names, exactly as Kube-OVN forms them (`ovs.PodNameToPortName`, `getNameByPod`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OVN_PROVIDER = "ovn"


def port_name(owner: str, namespace: str, provider: str) -> str:
    """`<owner>.<ns>` for the default provider, else `<owner>.<ns>.<provider>` (also the IP CR name)."""
    if provider == OVN_PROVIDER:
        return f"{owner}.{namespace}"
    return f"{owner}.{namespace}.{provider}"


def vmi_owner(pod: Mapping[str, Any], *, strict_prefix: bool = True) -> str | None:
    """The VMI (== VM) name when the pod is owned by a KubeVirt VirtualMachineInstance, else None.

    `strict_prefix`: v1.15+ requires the apiVersion to start with "kubevirt.io/"; v1.10-v1.14 only "kubevirt.io".
    """
    prefix = "kubevirt.io/" if strict_prefix else "kubevirt.io"
    for owner in (pod.get("metadata") or {}).get("ownerReferences") or []:
        if owner.get("kind") == "VirtualMachineInstance" and str(owner.get("apiVersion", "")).startswith(prefix):
            name = owner.get("name")
            return str(name) if name is not None else None
    return None


def port_owner(pod: Mapping[str, Any], keep_vm_ip: bool, *, strict_prefix: bool = True) -> str:
    """The `<name>` part of a pod's port names: the VM name under keep-vm-ip for a VMI-owned pod."""
    if keep_vm_ip:
        vm = vmi_owner(pod, strict_prefix=strict_prefix)
        if vm:
            return vm
    return str(pod["metadata"]["name"])
