"""A small Kube-OVN + KubeVirt cluster for the API server's own tests and quick manual runs.

Kept in the package (as ovsdbapp ships its server fixture) so every test file starts from the same objects.
"""

from __future__ import annotations

from typing import Any

CREATED = "2026-01-01T00:00:00Z"
CONTROLLER_LOG = (
    "I0101 00:00:00.000000       1 controller.go:100] kube-ovn-controller started\n"
    "I0101 00:00:01.000000       1 subnet.go:42] handle add subnet ovn-default\n"
)


def _meta(name: str, namespace: str = "", **labels: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "creationTimestamp": CREATED}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = dict(labels)
    return meta


def pod(
    name: str,
    namespace: str,
    containers: list[str],
    phase: str = "Running",
    ip: str = "10.16.0.10",
    node: str = "node1",
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A pod as `kubectl get -o json` prints it, reduced to the fields clients read."""
    meta = _meta(name, namespace, **(labels or {}))
    if annotations:
        meta["annotations"] = dict(annotations)
    running = phase == "Running"
    statuses = [
        {
            "name": c,
            "ready": running,
            "restartCount": 0,
            "image": f"docker.io/library/{c}:latest",
            "imageID": "",
            "started": running,
            "state": {"running": {"startedAt": CREATED}} if running else {"waiting": {"reason": "ContainerCreating"}},
        }
        for c in containers
    ]
    status: dict[str, Any] = {"phase": phase, "containerStatuses": statuses, "hostIP": "172.18.0.2"}
    if running:
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {
            "containers": [{"name": c, "image": f"docker.io/library/{c}:latest"} for c in containers],
            "nodeName": node,
        },
        "status": status,
    }


def sample_objects() -> list[dict[str, Any]]:
    nad_config = (
        '{"cniVersion":"0.3.0","type":"kube-ovn","server_socket":"/run/openvswitch/kube-ovn-daemon.sock",'
        '"provider":"attachnet.test-ns.ovn"}'
    )
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": _meta("test-ns"), "status": {"phase": "Active"}},
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": _meta("node1", **{"node-role.kubernetes.io/control-plane": ""}),
            "status": {
                "conditions": [{"type": "Ready", "status": "True"}],
                "nodeInfo": {"kubeletVersion": "v1.32.4"},
                "addresses": [{"type": "InternalIP", "address": "172.18.0.2"}],
            },
        },
        pod("web-1", "test-ns", ["nginx"], labels={"app": "web", "tier": "front"}, ip="10.16.0.11"),
        pod("web-2", "test-ns", ["nginx"], phase="Pending", labels={"app": "web", "tier": "back"}),
        pod(
            "virt-launcher-vm1-abcde",
            "test-ns",
            ["compute"],
            ip="10.16.0.12",
            labels={"kubevirt.io": "virt-launcher", "vm.kubevirt.io/name": "vm1"},
            annotations={"k8s.v1.cni.cncf.io/networks": "test-ns/attachnet"},
        ),
        pod(
            "ovn-central-7d9f8",
            "kube-system",
            ["ovn-central"],
            ip="172.18.0.2",
            labels={"app": "ovn-central", "ovn-nb-leader": "true"},
        ),
        pod(
            "kube-ovn-controller-5c4f7-x2k9q",
            "kube-system",
            ["kube-ovn-controller"],
            ip="172.18.0.2",
            labels={"app": "kube-ovn-controller"},
        ),
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": _meta("kube-ovn-controller", "kube-system"),
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "kube-ovn-controller"}},
                "template": {
                    "metadata": {"labels": {"app": "kube-ovn-controller"}},
                    "spec": {
                        "containers": [
                            {
                                "name": "kube-ovn-controller",
                                "image": "docker.io/kubeovn/kube-ovn:v1.12.4",
                                "args": ["/kube-ovn/start-controller.sh"],
                            }
                        ]
                    },
                },
            },
            "status": {"replicas": 1, "readyReplicas": 1, "updatedReplicas": 1, "availableReplicas": 1},
        },
        {
            "apiVersion": "kubevirt.io/v1",
            "kind": "VirtualMachine",
            "metadata": _meta("vm1", "test-ns"),
            "spec": {"running": True, "template": {"spec": {"networks": [{"name": "default", "pod": {}}]}}},
            "status": {
                "printableStatus": "Running",
                "ready": True,
                "conditions": [{"type": "Ready", "status": "True"}],
            },
        },
        {
            "apiVersion": "kubevirt.io/v1",
            "kind": "VirtualMachineInstance",
            "metadata": _meta("vm1", "test-ns"),
            "spec": {},
            "status": {
                "phase": "Running",
                "nodeName": "node1",
                "interfaces": [{"name": "default", "ipAddress": "10.16.0.12"}],
                "conditions": [{"type": "Ready", "status": "True"}],
            },
        },
        {
            "apiVersion": "k8s.cni.cncf.io/v1",
            "kind": "NetworkAttachmentDefinition",
            "metadata": _meta("attachnet", "test-ns"),
            "spec": {"config": nad_config},
        },
        {
            "apiVersion": "kubeovn.io/v1",
            "kind": "Subnet",
            "metadata": _meta("ovn-default"),
            "spec": {
                "provider": "ovn",
                "vpc": "ovn-cluster",
                "protocol": "IPv4",
                "cidrBlock": "10.16.0.0/16",
                "default": True,
                "natOutgoing": True,
                "gatewayType": "distributed",
                "excludeIps": ["10.16.0.1"],
            },
            "status": {"v4usingIPs": 4, "v4availableIPs": 65529},
        },
        {
            "apiVersion": "kubeovn.io/v1",
            "kind": "Subnet",
            "metadata": _meta("attach-subnet"),
            "spec": {
                "provider": "attachnet.test-ns.ovn",
                "vpc": "ovn-cluster",
                "protocol": "IPv4",
                "cidrBlock": "192.168.10.0/24",
            },
        },
    ]


def sample_config(token: str = "sandbox-token", tls: bool = False) -> dict[str, Any]:
    """The JSON config shape (as the sandbox writes it) around sample_objects()."""
    return {
        "objects": sample_objects(),
        "forbidden": [
            {"verb": "get", "resource": "secrets", "group": "", "namespace": "", "name": ""},
            {"verb": "create", "resource": "pods/exec", "namespace": "test-ns", "name": "web-1"},
            {"verb": "list", "resource": "virtualmachineinstancemigrations", "group": "kubevirt.io"},
        ],
        "logs": {"kube-system/kube-ovn-controller-5c4f7-x2k9q": CONTROLLER_LOG},
        "token": token,
        "tls": {} if tls else None,
        "exec": {
            "kube-system/ovn-central-7d9f8": {
                "env": {"OVN_NB_DB": "unix:/tmp/sandbox/run/ovnnb_db.sock"},
                "rewrite": {"/var/run/ovn/": "/tmp/sandbox/run/"},
            }
        },
        "host": "127.0.0.1",
        "port": 0,
    }
