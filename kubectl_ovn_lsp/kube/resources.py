"""Where each kind lives in the Kubernetes API (group, version, plural, scope): the paths the client builds."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Resource:
    """Where a kind lives in the API: enough to build paths and name it in messages."""

    kind: str
    plural: str
    group: str = ""
    version: str = "v1"
    namespaced: bool = True

    def path(self, namespace: str | None = None, name: str | None = None, subresource: str = "") -> str:
        """The REST path; namespace and name are percent-encoded, so no name can add a path or a query."""
        base = f"/api/{self.version}" if not self.group else f"/apis/{self.group}/{self.version}"
        if self.namespaced and namespace:
            base += f"/namespaces/{quote(namespace, safe='')}"
        base += f"/{self.plural}"
        if name:
            base += f"/{quote(name, safe='')}"
        if subresource:
            base += f"/{subresource}"
        return base


PODS = Resource("Pod", "pods")
NODES = Resource("Node", "nodes", namespaced=False)
SECRETS = Resource("Secret", "secrets")
DEPLOYMENTS = Resource("Deployment", "deployments", "apps")
STATEFULSETS = Resource("StatefulSet", "statefulsets", "apps")
VMS = Resource("VirtualMachine", "virtualmachines", "kubevirt.io")
VMIS = Resource("VirtualMachineInstance", "virtualmachineinstances", "kubevirt.io")
NADS = Resource("NetworkAttachmentDefinition", "network-attachment-definitions", "k8s.cni.cncf.io")
SUBNETS = Resource("Subnet", "subnets", "kubeovn.io", namespaced=False)
