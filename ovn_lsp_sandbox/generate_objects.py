"""Builders of the generated cluster's objects (`generate.py`): names, uids, addresses and the Kubernetes
objects themselves, shaped as the API returns them."""

from __future__ import annotations

import json
import random
import uuid

from ovn_lsp_sandbox import derive_nb

AUTHORED_AT = "2026-11-27T11:00:00Z"  # the instant the times below and the generated log are written at (clock.py)
CREATED = "2026-11-26T07:00:00Z"


READY = "2026-11-26T07:00:09Z"


ALNUM = "bcdfghjklmnpqrstvwxz2456789"  # the alphabet of Kubernetes generated name suffixes


class Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.mac_n = 0x100000
        self.next_ip: dict[str, int] = {}
        self.names: set[tuple[str, str]] = set()

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def suffix(self, n: int) -> str:
        return "".join(self.rng.choices(ALNUM, k=n))

    def unique(self, prefix: str, ns: str) -> str:
        """`<prefix><5 random chars>`, as the ReplicaSet/KubeVirt controllers name pods, unique in `ns`."""
        while True:
            name = prefix + self.suffix(5)
            if (ns, name) not in self.names:
                self.names.add((ns, name))
                return name

    def mac(self) -> str:
        self.mac_n += 1
        n = self.mac_n
        return f"00:00:00:{(n >> 16) & 255:02X}:{(n >> 8) & 255:02X}:{n & 255:02X}"

    def ip(self, subnet: str, prefix: str) -> str:
        """The next address of `subnet`, counted from `<prefix>.0.2` (past a /16 it goes on into the next /16:
        the wide subnets of a cluster over 60,000 pods)."""
        n = self.next_ip.get(subnet, 2)
        self.next_ip[subnet] = n + 1
        a, b = (int(x) for x in prefix.split("."))
        v = (a << 24) + (b << 16) + n
        return f"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}"


def net_annotations(
    ann: dict, provider: str, subnet: str, cidr: str, ip: str, mac: str, ovn: bool, vm: str = ""
) -> None:
    p = f"{provider}.kubernetes.io"
    ann[f"{p}/allocated"] = "true"
    ann[f"{p}/cidr"] = cidr
    ann[f"{p}/gateway"] = cidr.rsplit(".", 2)[0] + ".0.1"
    ann[f"{p}/ip_address"] = ip
    ann[f"{p}/mac_address"] = mac
    if ovn:
        ann[f"{p}/logical_router"] = "ovn-cluster"
        ann[f"{p}/logical_switch"] = subnet
        ann[f"{p}/pod_nic_type"] = "veth-pair"
        ann[f"{p}/routed"] = "true"
        if vm:
            ann[f"{p}/virtualmachine"] = vm


def namespace(name: str, uid: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": name,
            "uid": uid,
            "creationTimestamp": CREATED,
            "labels": {"kubernetes.io/metadata.name": name},
            "annotations": {
                "ovn.kubernetes.io/cidr": "10.16.0.0/16",
                "ovn.kubernetes.io/exclude_ips": "10.16.0.1",
                "ovn.kubernetes.io/logical_switch": "ovn-default",
            },
        },
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def subnet(name: str, cidr: str, provider: str, uid: str) -> dict:
    gw = cidr.rsplit(".", 2)[0] + ".0.1"
    return {
        "apiVersion": "kubeovn.io/v1",
        "kind": "Subnet",
        "metadata": {"name": name, "uid": uid, "creationTimestamp": CREATED, "finalizers": ["kube-ovn-controller"]},
        "spec": {
            "cidrBlock": cidr,
            "default": False,
            "enableLb": True,
            "excludeIps": [gw],
            "gateway": gw,
            "gatewayNode": "",
            "gatewayType": "distributed",
            "natOutgoing": False,
            "private": False,
            "protocol": "IPv4",
            "provider": provider,
            **({"vpc": "ovn-cluster"} if derive_nb.is_ovn_provider(provider) else {}),
        },
        "status": {
            "conditions": [
                {
                    "type": "Ready",
                    "status": "True",
                    "reason": "ResetLogicalSwitchAclSuccess",
                    "lastUpdateTime": CREATED,
                    "lastTransitionTime": CREATED,
                }
            ]
        },
    }


def nad(name: str, uid: str, config: dict) -> dict:
    return {
        "apiVersion": "k8s.cni.cncf.io/v1",
        "kind": "NetworkAttachmentDefinition",
        "metadata": {"name": name, "namespace": "default", "uid": uid, "generation": 1, "creationTimestamp": CREATED},
        "spec": {"config": json.dumps(config)},
    }


def node(i: int, uid: str, n_ip: int, mac: str) -> dict:
    name = f"node{i}"
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "uid": uid,
            "creationTimestamp": CREATED,
            "labels": {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"},
            "annotations": {
                "ovn.kubernetes.io/allocated": "true",
                "ovn.kubernetes.io/cidr": "100.64.0.0/16",
                "ovn.kubernetes.io/gateway": "100.64.0.1",
                "ovn.kubernetes.io/ip_address": f"100.64.{n_ip >> 8}.{n_ip & 255}",
                "ovn.kubernetes.io/logical_switch": "join",
                "ovn.kubernetes.io/mac_address": mac,
                "ovn.kubernetes.io/port_name": f"node-{name}",
            },
        },
        "spec": {"podCIDR": f"10.244.{i % 256}.0/24"},
        "status": {
            "addresses": [
                {"type": "InternalIP", "address": f"192.168.{10 + i // 250}.{10 + i % 250}"},
                {"type": "Hostname", "address": name},
            ],
            "conditions": [
                {
                    "type": "Ready",
                    "status": "True",
                    "reason": "KubeletReady",
                    "message": "kubelet is posting ready status",
                    "lastHeartbeatTime": READY,
                    "lastTransitionTime": CREATED,
                }
            ],
            "nodeInfo": {
                "kubeletVersion": "v1.30.6",
                "containerRuntimeVersion": "containerd://1.7.22",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "kernelVersion": "6.1.0-27-amd64",
                "architecture": "amd64",
                "operatingSystem": "linux",
            },
        },
    }


def pod(
    name: str,
    ns: str,
    uid: str,
    labels: dict,
    ann: dict,
    owner: dict,
    node: dict,
    ip: str,
    containers: list[str],
    image: str,
    restart: str = "Always",
) -> dict:
    host_ip = node["status"]["addresses"][0]["address"]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": ns,
            "uid": uid,
            "creationTimestamp": CREATED,
            "labels": labels,
            "annotations": ann,
            "ownerReferences": [owner],
        },
        "spec": {
            "containers": [
                {"name": c, "image": image, "imagePullPolicy": "IfNotPresent", "resources": {}} for c in containers
            ],
            "dnsPolicy": "ClusterFirst",
            "nodeName": node["metadata"]["name"],
            "restartPolicy": restart,
            "schedulerName": "default-scheduler",
            "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30,
        },
        "status": {
            "phase": "Running",
            "qosClass": "BestEffort",
            "hostIP": host_ip,
            "hostIPs": [{"ip": host_ip}],
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "startTime": CREATED,
            "conditions": [
                {"type": t, "status": "True", "lastTransitionTime": READY}
                for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
            ],
            "containerStatuses": [
                {
                    "name": c,
                    "image": image,
                    "imageID": "",
                    "containerID": "",
                    "ready": True,
                    "started": True,
                    "restartCount": 0,
                    "state": {"running": {"startedAt": READY}},
                }
                for c in containers
            ],
        },
    }


def ref(obj: dict) -> dict:
    return {
        "apiVersion": obj["apiVersion"],
        "kind": obj["kind"],
        "name": obj["metadata"]["name"],
        "uid": obj["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }
