"""Small builders for Kubernetes objects shaped exactly as the API returns them, and for the spec's examples.

Tests state only what matters to the rule under test; everything else gets a realistic default.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from kubectl_ovn_lsp.model.records import NbPort
from kubectl_ovn_lsp.model.settings import ControllerSettings, settings_from_deployment
from kubectl_ovn_lsp.model.snapshot import WorkloadSnapshot

NOW = datetime(2026, 11, 27, 10, 0, 0, tzinfo=timezone.utc)
CREATED = "2026-11-01T00:00:00Z"
DAEMON_SOCKET = "/run/openvswitch/kube-ovn-daemon.sock"


def subnet(name: str, provider: str = "ovn", cidr: str = "10.16.0.0/16") -> dict:
    return {
        "apiVersion": "kubeovn.io/v1",
        "kind": "Subnet",
        "metadata": {"name": name},
        "spec": {"provider": provider, "cidrBlock": cidr, "protocol": "IPv4"},
    }


def nad(
    name: str,
    namespace: str,
    cni: str = "kube-ovn",
    *,
    ipam: str | None = None,
    plugins: bool = False,
    provider: str | None = None,
    config: str | None = None,
) -> dict:
    """A NetworkAttachmentDefinition; `ipam="kube-ovn"` with another `cni` makes an IPAM-only attachment."""
    if config is None:
        conf: dict[str, Any] = {"type": cni}
        if cni == "kube-ovn":
            conf.update(server_socket=DAEMON_SOCKET, provider=provider or f"{name}.{namespace}.ovn")
        else:
            conf.update(master="eth0", mode="bridge")
        if ipam:
            conf["ipam"] = {"type": ipam, "server_socket": DAEMON_SOCKET, "provider": provider or f"{name}.{namespace}"}
        body = {"cniVersion": "0.3.1", "name": name, "plugins": [conf]} if plugins else {"cniVersion": "0.3.1", **conf}
        config = json.dumps(body)
    return {
        "apiVersion": "k8s.cni.cncf.io/v1",
        "kind": "NetworkAttachmentDefinition",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"config": config},
    }


def allocated(
    provider: str, ls: str | None, ip: str = "10.16.0.12", *, routed: bool = True, mac: str = "00:00:00:5A:1B:2C"
) -> dict[str, str]:
    """The annotations the controller writes for one allocated provider (`ls=None`: IPAM/non-OVN subnet). A port
    built for it must carry `address(ip, mac)`: the controller writes both from the same allocation."""
    p = provider
    out = {
        f"{p}.kubernetes.io/allocated": "true",
        f"{p}.kubernetes.io/ip_address": ip,
        f"{p}.kubernetes.io/mac_address": mac,
        f"{p}.kubernetes.io/cidr": "10.16.0.0/16",
        f"{p}.kubernetes.io/gateway": "10.16.0.1",
    }
    if ls is not None:
        out[f"{p}.kubernetes.io/logical_switch"] = ls
        out[f"{p}.kubernetes.io/pod_nic_type"] = "veth-pair"
        if routed:
            out[f"{p}.kubernetes.io/routed"] = "true"
    return out


def pod(
    name: str,
    namespace: str,
    annotations: dict[str, str] | None = None,
    *,
    owners: list[dict] | None = None,
    phase: str = "Running",
    restart: str = "Always",
    host_network: bool = False,
    labels: dict[str, str] | None = None,
    created: str = CREATED,
    deletion: str | None = None,
    grace: int | None = None,
    reason: str | None = None,
    node: str = "node1",
) -> dict:
    meta: dict[str, Any] = {
        "name": name,
        "namespace": namespace,
        "uid": f"uid-{name}",
        "creationTimestamp": created,
        "annotations": dict(annotations or {}),
        "labels": dict(labels or {}),
    }
    if owners:
        meta["ownerReferences"] = owners
    if deletion:
        meta["deletionTimestamp"] = deletion
        meta["deletionGracePeriodSeconds"] = 30 if grace is None else grace
    spec: dict[str, Any] = {"nodeName": node, "restartPolicy": restart, "containers": [{"name": "main"}]}
    if host_network:
        spec["hostNetwork"] = True
    status: dict[str, Any] = {"phase": phase}
    if reason:
        status["reason"] = reason
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def vmi_owner_ref(vm_name: str, api_version: str = "kubevirt.io/v1") -> dict:
    return {
        "apiVersion": api_version,
        "kind": "VirtualMachineInstance",
        "name": vm_name,
        "uid": f"uid-vmi-{vm_name}",
        "controller": True,
        "blockOwnerDeletion": True,
    }


def sts_owner_ref(sts_name: str, uid: str | None = None) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "name": sts_name,
        "uid": uid or f"uid-sts-{sts_name}",
        "controller": True,
    }


def statefulset(
    name: str,
    namespace: str,
    replicas: int = 3,
    *,
    uid: str | None = None,
    deleting: bool = False,
    start: int | None = None,
) -> dict:
    meta: dict[str, Any] = {"name": name, "namespace": namespace, "uid": uid or f"uid-sts-{name}"}
    if deleting:
        meta["deletionTimestamp"] = "2026-11-27T09:59:00Z"
    spec: dict[str, Any] = {"replicas": replicas}
    if start is not None:
        spec["ordinals"] = {"start": start}
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta, "spec": spec}


def launcher(
    vm_name: str,
    namespace: str,
    annotations: dict[str, str] | None = None,
    *,
    suffix: str = "abcde",
    api_version: str = "kubevirt.io/v1",
    **kw: Any,
) -> dict:
    return pod(
        f"virt-launcher-{vm_name}-{suffix}",
        namespace,
        annotations,
        owners=[vmi_owner_ref(vm_name, api_version)],
        labels={"kubevirt.io": "virt-launcher", "vm.kubevirt.io/name": vm_name, **kw.pop("labels", {})},
        **kw,
    )


def vm(
    name: str,
    namespace: str,
    networks: list[dict] | None = None,
    *,
    template_annotations: dict | None = None,
    run_strategy: str = "Always",
    ready: bool = True,
    deleting: bool = False,
) -> dict:
    networks = networks if networks is not None else [{"name": "default", "pod": {}}]
    template: dict[str, Any] = {
        "spec": {
            "domain": {"devices": {"interfaces": [{"name": n["name"], "bridge": {}} for n in networks]}},
            "networks": networks,
        }
    }
    if template_annotations is not None:
        template["metadata"] = {"annotations": template_annotations}
    meta: dict[str, Any] = {"name": name, "namespace": namespace, "uid": f"uid-vm-{name}"}
    if deleting:
        meta["deletionTimestamp"] = "2026-11-27T09:59:00Z"
    status = {"created": ready, "ready": ready, "printableStatus": "Running" if ready else "Stopped"}
    return {
        "apiVersion": "kubevirt.io/v1",
        "kind": "VirtualMachine",
        "metadata": meta,
        "spec": {"runStrategy": run_strategy, "template": template},
        "status": status,
    }


def vmi(name: str, namespace: str) -> dict:
    return {
        "apiVersion": "kubevirt.io/v1",
        "kind": "VirtualMachineInstance",
        "metadata": {"name": name, "namespace": namespace},
        "status": {"phase": "Running"},
    }


def multus_net(name: str, network_name: str, *, default: bool = False) -> dict:
    multus: dict[str, Any] = {"networkName": network_name}
    if default:
        multus["default"] = True
    return {"name": name, "multus": multus}


def address(ip: str = "10.16.0.12", mac: str = "00:00:00:5A:1B:2C") -> str:
    """The port's `addresses` entry `buildLogicalSwitchPort` writes for an allocation (`allocated`)."""
    return f"{mac.lower()} {ip}"


def nb_port(
    name: str,
    namespace: str,
    owner: str,
    ls: str = "ovn-default",
    *,
    type: str = "",
    vendor: bool = True,
    address: str = "00:00:00:5a:1b:2c 10.16.0.12",
    options: dict | None = None,
) -> NbPort:
    ids = {"pod": f"{namespace}/{owner}", "ls": ls}
    if vendor:
        ids["vendor"] = "kube-ovn"
    return NbPort(
        name=name, type=type, external_ids=ids, addresses=(address,), options=dict(options or {}), uuid=f"uuid-{name}"
    )


def deployment(
    image: str = "docker.io/kubeovn/kube-ovn:v1.13.4", args: list[str] | None = None, command: list[str] | None = None
) -> dict:
    container: dict[str, Any] = {
        "name": "kube-ovn-controller",
        "image": image,
        "command": command or ["/kube-ovn/start-controller.sh"],
    }
    if args is not None:
        container["args"] = args
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "kube-ovn-controller", "namespace": "kube-system"},
        "spec": {"template": {"spec": {"containers": [container]}}},
    }


def settings(version: str | None = "v1.13.4", **overrides: Any) -> ControllerSettings:
    return settings_from_deployment(None, {"version": version, **overrides})


def snapshot(
    namespace: str,
    target_kind: str,
    target_name: str,
    *,
    pods: list[dict] = (),  # type: ignore[assignment]
    vm_obj: dict | None = None,
    vmi_obj: dict | None = None,
    nads: list[dict] = (),  # type: ignore[assignment]
    missing_nads: list[tuple[str, str]] = (),
    subnets: list[dict] = (),  # type: ignore[assignment]
    statefulsets: dict | None = None,
    nb: list[NbPort] = (),
    now: datetime = NOW,
) -> WorkloadSnapshot:
    nad_map: dict[tuple[str, str], dict | None] = {(n["metadata"]["namespace"], n["metadata"]["name"]): n for n in nads}
    nad_map.update(dict.fromkeys(missing_nads))
    all_subnets = {s["metadata"]["name"]: s for s in [subnet("ovn-default"), *subnets]}
    return WorkloadSnapshot(
        namespace=namespace,
        target_kind=target_kind,
        target_name=target_name,
        pods=tuple(pods),
        vm=vm_obj,
        vmi=vmi_obj,
        nads=nad_map,
        subnets=all_subnets,
        statefulsets=dict(statefulsets or {}),
        nb_ports=tuple(nb),
        now=now,
    )


def verdicts(judgement: Any) -> dict[str, tuple[str, str]]:
    """`{port name: (verdict, reason)}` of a Judgement, the shape most model tests compare against a literal."""
    return {p.name: (p.verdict, p.reason) for p in judgement.ports}


def port(judgement: Any, name: str) -> Any:
    """The judged port called `name` (StopIteration when the judgement has none, failing the test)."""
    return next(p for p in judgement.ports if p.name == name)
