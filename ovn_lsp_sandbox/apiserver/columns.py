"""Which columns each resource prints: one row per resource in COLUMNS (built-in printers and CRD printer columns)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ovn_lsp_sandbox.apiserver.cells import age, go_text, jsonpath, or_none

Cell = str | Callable[[dict[str, Any]], Any]  # a CRD-style JSONPath, or a function like the Go printers


@dataclass(frozen=True)
class Column:
    name: str
    cell: Cell
    type: str = "string"  # string | integer | number | boolean | date
    priority: int = 0  # 1 = only with -o wide

    def value(self, obj: dict[str, Any]) -> Any:
        if callable(self.cell):
            return self.cell(obj)
        raw = jsonpath(obj, self.cell)
        if raw is None:
            return None
        if self.type == "date":
            return age(str(raw))
        return go_text(raw) if self.type == "string" else raw


AGE = Column("Age", lambda o: age(o["metadata"].get("creationTimestamp")))


# -- pods: the logic of kubectl's printPod, reduced to what static objects show --


def _statuses(pod: dict[str, Any]) -> list[dict[str, Any]]:
    return pod.get("status", {}).get("containerStatuses") or []


def pod_ready(pod: dict[str, Any]) -> str:
    total = len(pod.get("spec", {}).get("containers") or [])
    ready = sum(1 for cs in _statuses(pod) if cs.get("ready"))
    return f"{ready}/{total}"


def pod_status(pod: dict[str, Any]) -> str:
    status = pod.get("status", {})
    reason = status.get("reason") or status.get("phase") or "Unknown"
    running = False
    for cs in reversed(_statuses(pod)):
        state = cs.get("state") or {}
        if (state.get("waiting") or {}).get("reason"):
            reason = state["waiting"]["reason"]
        elif state.get("terminated"):
            term = state["terminated"]
            reason = term.get("reason") or f"ExitCode:{term.get('exitCode', 0)}"
        elif state.get("running") and cs.get("ready"):
            running = True
    if reason == "Completed" and running:
        reason = "Running"
    if pod["metadata"].get("deletionTimestamp"):
        reason = "Terminating"
    return reason


def pod_restarts(pod: dict[str, Any]) -> str:
    restarts = sum(int(cs.get("restartCount") or 0) for cs in _statuses(pod))
    finished = [
        str(t)
        for cs in _statuses(pod)
        if (t := ((cs.get("lastState") or {}).get("terminated") or {}).get("finishedAt"))
    ]
    return f"{restarts} ({age(max(finished))} ago)" if restarts and finished else str(restarts)


def _gates(pod: dict[str, Any]) -> str:
    gates = pod.get("spec", {}).get("readinessGates") or []
    if not gates:
        return "<none>"
    conds = {c.get("type"): c.get("status") for c in pod.get("status", {}).get("conditions") or []}
    ok = sum(1 for g in gates if conds.get(g.get("conditionType")) == "True")
    return f"{ok}/{len(gates)}"


def _node_status(node: dict[str, Any]) -> str:
    conds = {c.get("type"): c.get("status") for c in node.get("status", {}).get("conditions") or []}
    text = {"True": "Ready", "False": "NotReady"}.get(conds.get("Ready", ""), "Unknown")
    return text + (",SchedulingDisabled" if node.get("spec", {}).get("unschedulable") else "")


def _node_roles(node: dict[str, Any]) -> str:
    prefix = "node-role.kubernetes.io/"
    roles = sorted(k[len(prefix) :] for k in (node["metadata"].get("labels") or {}) if k.startswith(prefix))
    return ",".join(roles) or "<none>"


def _node_address(kind: str) -> Callable[[dict[str, Any]], str]:
    def cell(node: dict[str, Any]) -> str:
        addrs = [a.get("address") for a in node.get("status", {}).get("addresses") or [] if a.get("type") == kind]
        return addrs[0] if addrs else "<none>"

    return cell


def _svc_ports(svc: dict[str, Any]) -> str:
    ports = svc.get("spec", {}).get("ports") or []
    out = []
    for p in ports:
        node = f":{p['nodePort']}" if p.get("nodePort") else ""
        out.append(f"{p.get('port')}{node}/{p.get('protocol', 'TCP')}")
    return ",".join(out) or "<none>"


def _replicas(ready_path: str) -> Callable[[dict[str, Any]], str]:
    def cell(obj: dict[str, Any]) -> str:
        return f"{jsonpath(obj, ready_path) or 0}/{obj.get('spec', {}).get('replicas', 1)}"

    return cell


def _int(path: str) -> Callable[[dict[str, Any]], int]:
    return lambda o: int(jsonpath(o, path) or 0)


def _containers(field: str) -> Callable[[dict[str, Any]], str]:
    return lambda o: ",".join(c.get(field, "") for c in jsonpath(o, ".spec.template.spec.containers") or [])


def _selector(o: dict[str, Any]) -> str:
    labels = (o.get("spec", {}).get("selector") or {}).get("matchLabels") or {}
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items())) or "<none>"


def _count(path: str) -> Callable[[dict[str, Any]], int]:
    return lambda o: len(jsonpath(o, path) or {})


_WIDE_WORKLOAD = (
    Column("Containers", _containers("name"), priority=1),
    Column("Images", _containers("image"), priority=1),
)
_READY_COND = ".status.conditions[?(@.type=='Ready')].status"
_S = "string"

# (group, plural) -> columns after NAME. Unlisted resources print NAME AGE, as a CRD without printer columns does.
COLUMNS: dict[tuple[str, str], tuple[Column, ...]] = {
    ("", "pods"): (
        Column("Ready", pod_ready),
        Column("Status", pod_status),
        Column("Restarts", pod_restarts),
        AGE,
        Column("IP", lambda p: or_none(p.get("status", {}).get("podIP")), priority=1),
        Column("Node", lambda p: or_none(p.get("spec", {}).get("nodeName")), priority=1),
        Column("Nominated Node", lambda p: or_none(p.get("status", {}).get("nominatedNodeName")), priority=1),
        Column("Readiness Gates", _gates, priority=1),
    ),
    ("", "namespaces"): (Column("Status", ".status.phase"), AGE),
    ("", "nodes"): (
        Column("Status", _node_status),
        Column("Roles", _node_roles),
        AGE,
        Column("Version", ".status.nodeInfo.kubeletVersion"),
        Column("Internal-IP", _node_address("InternalIP"), priority=1),
        Column("External-IP", _node_address("ExternalIP"), priority=1),
        Column("OS-Image", ".status.nodeInfo.osImage", priority=1),
        Column("Kernel-Version", ".status.nodeInfo.kernelVersion", priority=1),
        Column("Container-Runtime", ".status.nodeInfo.containerRuntimeVersion", priority=1),
    ),
    ("", "services"): (
        Column("Type", ".spec.type"),
        Column("Cluster-IP", lambda s: or_none(s.get("spec", {}).get("clusterIP"))),
        Column("External-IP", lambda s: ",".join(s.get("spec", {}).get("externalIPs") or []) or "<none>"),
        Column("Port(s)", _svc_ports),
        AGE,
        Column("Selector", _selector, priority=1),
    ),
    ("", "secrets"): (Column("Type", ".type"), Column("Data", _count(".data"), "integer"), AGE),
    ("", "configmaps"): (
        Column("Data", lambda c: len(c.get("data") or {}) + len(c.get("binaryData") or {}), "integer"),
        AGE,
    ),
    ("apps", "deployments"): (
        Column("Ready", _replicas(".status.readyReplicas")),
        Column("Up-to-date", _int(".status.updatedReplicas"), "integer"),
        Column("Available", _int(".status.availableReplicas"), "integer"),
        AGE,
        *_WIDE_WORKLOAD,
        Column("Selector", _selector, priority=1),
    ),
    ("apps", "statefulsets"): (Column("Ready", _replicas(".status.readyReplicas")), AGE, *_WIDE_WORKLOAD),
    ("apps", "replicasets"): (
        Column("Desired", _int(".spec.replicas"), "integer"),
        Column("Current", _int(".status.replicas"), "integer"),
        Column("Ready", _int(".status.readyReplicas"), "integer"),
        AGE,
        *_WIDE_WORKLOAD,
    ),
    ("apps", "daemonsets"): (
        Column("Desired", _int(".status.desiredNumberScheduled"), "integer"),
        Column("Current", _int(".status.currentNumberScheduled"), "integer"),
        Column("Ready", _int(".status.numberReady"), "integer"),
        Column("Up-to-date", _int(".status.updatedNumberScheduled"), "integer"),
        Column("Available", _int(".status.numberAvailable"), "integer"),
        AGE,
        *_WIDE_WORKLOAD,
    ),
    # KubeVirt's CRD additionalPrinterColumns
    ("kubevirt.io", "virtualmachines"): (
        Column("Age", ".metadata.creationTimestamp", "date"),
        Column("Status", ".status.printableStatus"),
        Column("Ready", _READY_COND),
    ),
    ("kubevirt.io", "virtualmachineinstances"): (
        Column("Age", ".metadata.creationTimestamp", "date"),
        Column("Phase", ".status.phase"),
        Column("IP", ".status.interfaces[0].ipAddress"),
        Column("NodeName", ".status.nodeName"),
        Column("Ready", _READY_COND),
        Column("Live-Migratable", ".status.conditions[?(@.type=='LiveMigratable')].status", priority=1),
        Column("Paused", ".status.conditions[?(@.type=='Paused')].status", priority=1),
    ),
    ("kubevirt.io", "virtualmachineinstancemigrations"): (
        Column("Phase", ".status.phase"),
        Column("VMI", ".spec.vmiName"),
    ),
    # Kube-OVN's CRD additionalPrinterColumns
    ("kubeovn.io", "subnets"): (
        Column("Provider", ".spec.provider"),
        Column("Vpc", ".spec.vpc"),
        Column("Vlan", ".spec.vlan"),
        Column("Protocol", ".spec.protocol"),
        Column("CIDR", ".spec.cidrBlock"),
        Column("Private", ".spec.private", "boolean"),
        Column("NAT", ".spec.natOutgoing", "boolean"),
        Column("Default", ".spec.default", "boolean"),
        Column("GatewayType", ".spec.gatewayType"),
        Column("V4Used", ".status.v4usingIPs", "number"),
        Column("V4Available", ".status.v4availableIPs", "number"),
        Column("V6Used", ".status.v6usingIPs", "number"),
        Column("V6Available", ".status.v6availableIPs", "number"),
        Column("ExcludeIPs", ".spec.excludeIps"),
        Column("U2OInterconnectionIP", ".status.u2oInterconnectionIP"),
    ),
    ("kubeovn.io", "ips"): (
        Column("V4IP", ".spec.v4IpAddress"),
        Column("V6IP", ".spec.v6IpAddress"),
        Column("Mac", ".spec.macAddress"),
        Column("Node", ".spec.nodeName"),
        Column("Subnet", ".spec.subnet"),
    ),
    ("kubeovn.io", "vpcs"): (
        Column("EnableExternal", ".spec.enableExternal", "boolean"),
        Column("EnableBfd", ".spec.enableBfd", "boolean"),
        Column("Standby", ".status.standby", "boolean"),
        Column("Subnets", ".status.subnets"),
        Column("ExtraExternalSubnets", ".status.extraExternalSubnets"),
        Column("Namespaces", ".spec.namespaces"),
    ),
    ("kubeovn.io", "vips"): (
        Column("V4IP", ".status.v4ip"),
        Column("V6IP", ".status.v6ip"),
        Column("Mac", ".status.mac"),
        Column("PMac", ".spec.parentMac"),
        Column("Subnet", ".spec.subnet"),
        Column("Type", ".status.type"),
    ),
    ("kubeovn.io", "ovn-eips"): (
        Column("V4IP", ".status.v4Ip"),
        Column("V6IP", ".status.v6Ip"),
        Column("Mac", ".status.macAddress"),
        Column("Type", ".status.type"),
        Column("Nat", ".status.nat"),
        Column("Ready", ".status.ready", "boolean"),
        Column("ExternalSubnet", ".spec.externalSubnet"),
    ),
}


def columns_for(group: str, plural: str) -> tuple[Column, ...]:
    return COLUMNS.get((group, plural), (AGE,))
