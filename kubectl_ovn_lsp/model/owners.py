"""Owners: the unit GC findings are grouped by (docs/contracts.md, "Owner kinds").

A VirtualMachine owns its VMI and launcher pods (its ports are named after it under keep-vm-ip, after each
launcher pod otherwise); a VMI without a VM owns its launcher pods; every other pod owns itself; a Node owns
`node-<node>`; a kubeovn.io Vip owns its port. Ports no existing owner claims become `Orphan` items in the
replay. Grouping is the same for `explain` (a few objects) and `audit` (every object), which is what makes
`explain` the replay scoped to one owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kubectl_ovn_lsp.model.inventory import Inventory, key_of, owner_name

POD, VM, VMI, NODE, VIP, ORPHAN = "Pod", "VirtualMachine", "VirtualMachineInstance", "Node", "Vip", "Orphan"
LAUNCHER_OWNER = "VirtualMachineInstance"


@dataclass(frozen=True)
class Owner:
    """One owner: what `target` names in the documents, and the objects the GC model judges for it."""

    kind: str
    namespace: str
    name: str
    pods: tuple[dict[str, Any], ...] = ()
    vm: dict[str, Any] | None = None
    vmi: dict[str, Any] | None = None

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """(namespace, kind, name), each alphabetically: audit's item order (audit-triage contract; issue #18)."""
        return self.namespace, self.kind, self.name


def _created(pod: dict[str, Any]) -> tuple[str, str]:
    """Launcher pods oldest first (the running one before a migration target), then by name as the API lists."""
    meta = pod.get("metadata") or {}
    return str(meta.get("creationTimestamp") or ""), str(meta.get("name") or "")


def workload_owners(inventory: Inventory) -> list[Owner]:
    """VM, VMI and Pod owners of the inventory, sorted by (namespace, kind, name)."""
    launchers: dict[tuple[str, str], list[dict[str, Any]]] = {}
    plain: list[dict[str, Any]] = []
    for pod in inventory.pods:
        vmi_name = owner_name(pod, LAUNCHER_OWNER)
        namespace = key_of(pod)[0]
        if vmi_name and ((namespace, vmi_name) in inventory.vms or (namespace, vmi_name) in inventory.vmis):
            launchers.setdefault((namespace, vmi_name), []).append(pod)
        else:
            plain.append(pod)
    owners = []
    for key, vm in inventory.vms.items():
        pods = tuple(sorted(launchers.get(key, ()), key=_created))
        owners.append(Owner(VM, key[0], key[1], pods, vm, inventory.vmis.get(key)))
    for key, vmi in inventory.vmis.items():
        if key not in inventory.vms:
            pods = tuple(sorted(launchers.get(key, ()), key=_created))
            owners.append(Owner(VMI, key[0], key[1], pods, None, vmi))
    owners += [Owner(POD, *key_of(pod), (pod,)) for pod in plain]
    return sorted(owners, key=lambda o: o.sort_key)


def pod_scoped(owner: Owner, pod_name: str) -> Owner:
    """A launcher pod explained on its own (without keep-vm-ip each launcher pod has its own ports)."""
    pods = tuple(p for p in owner.pods if key_of(p)[1] == pod_name)
    return Owner(POD, owner.namespace, pod_name, pods, owner.vm, owner.vmi)
