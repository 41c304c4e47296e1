"""Derive NB content (and IP CRs) from Kubernetes objects, the way kube-ovn-controller creates them.

Pure functions over plain object dicts. What Kube-OVN does, and what is reproduced here:

* one Logical_Switch per Subnet whose provider is OVN-type (`""`, `ovn`, `<nad>.<ns>.ovn`), named after the
  Subnet, `external_ids:vendor=kube-ovn`, plus its router patch port `<subnet>-<vpc router>` (type `router`);
* per alive, non-hostNetwork pod and per `<p>.kubernetes.io/allocated: "true"` whose
  `<p>.kubernetes.io/logical_switch` names an OVN-type Subnet: port `port_name(port_owner(pod, keep_vm_ip), ns, p)`
  with `external_ids` vendor/ls/pod and `addresses ["<mac> <ip> [<ip6>]"]` (`buildLogicalSwitchPort`);
  pods resolving to the same name (keep-vm-ip, live migration) give one port;
* a live-migration target pod (label `kubevirt.io/migrationJobUID`) sets `requested-chassis=<src>,<dst>` and
  `activation-strategy=rarp` on the VM's ports while the migration runs; `<dst>` (or `<src>` on failure) after it;
* `node-<node>` on the join switch for nodes annotated `ovn.kubernetes.io/allocated=true`
  (`CreateBareLogicalSwitchPort`: external_ids ls/vendor only);
* IP CRs (`kubeovn.io/v1 IP`) named like the ports, also for IPAM-only providers (which get no port).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import Any

from kubectl_ovn_lsp.model import nad, settings, shapes
from kubectl_ovn_lsp.model.gc_pods import is_pod_alive
from kubectl_ovn_lsp.model.naming import port_name, port_owner
from ovn_lsp_sandbox.nb_content import PortSpec, SwitchSpec

ALLOCATED = ".kubernetes.io/allocated"
VENDOR = "kube-ovn"
DEFAULT_ROUTER = "ovn-cluster"
JOIN_SWITCH = "join"
MIGRATION_JOB_UID = "kubevirt.io/migrationJobUID"
MIGRATION_JOB_NAME = "kubevirt.io/migrationJobName"


def is_ovn_provider(provider: str | None) -> bool:
    """The sandbox builds NB as v1.13+ does: the model's three-field `util.IsOvnProvider` rule."""
    return nad.is_ovn_provider(provider or "", "three-field")


def _kind(objects: Iterable[dict], kind: str) -> Iterator[dict]:
    """Objects of `kind` that Kube-OVN could read: one with a field of the wrong type (a replayed dump may hold
    it) is served by the API server as it is, so the plugin can report it, but gets no NB content, as Kube-OVN's
    informers could not decode it either."""
    return (o for o in objects if o.get("kind") == kind and not shapes.problems(kind, o))


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _ann(obj: dict) -> dict:
    """Annotations as a map; anything else (a dump can hold it) means Kube-OVN could not have allocated the pod."""
    ann = _meta(obj).get("annotations") or {}
    return ann if isinstance(ann, dict) else {}


def keep_vm_ip_from(objects: Iterable[dict]) -> bool:
    """`--keep-vm-ip` as the kube-ovn-controller Deployment sets it (args, else the release default)."""
    deployment = next((d for d in _kind(objects, "Deployment") if _meta(d).get("name") == "kube-ovn-controller"), None)
    return settings.settings_from_deployment(deployment).keep_vm_ip


def pod_alive(pod: dict, now: datetime | None = None) -> bool:
    """Kube-OVN `isPodAlive`, as the model implements it."""
    return is_pod_alive(pod, now or datetime.now(timezone.utc))


def _addresses(mac: str, ips: str) -> list[str]:
    """`buildLogicalSwitchPort`: one string, the MAC then every IP of the comma list."""
    if mac and ips and "," not in ips:
        return [f"{mac} {ips}"]
    return [" ".join([mac] + [ip for ip in (ips or "").split(",") if ip]).strip()] if mac else []


def pod_networks(objects: list[dict], keep_vm_ip: bool | None = None) -> Iterator[dict]:
    """Every allocated network of every alive, non-hostNetwork pod: owner, provider, subnet, ip, mac, port."""
    keep = keep_vm_ip_from(objects) if keep_vm_ip is None else keep_vm_ip
    subnets = {_meta(s).get("name"): s for s in _kind(objects, "Subnet")}
    by_provider = {(s.get("spec") or {}).get("provider"): n for n, s in subnets.items()}
    for pod in _kind(objects, "Pod"):
        if (pod.get("spec") or {}).get("hostNetwork") or not pod_alive(pod):
            continue
        ann, ns = _ann(pod), _meta(pod).get("namespace", "default")
        owner = port_owner(pod, keep)
        for key, value in ann.items():
            if not key.endswith(ALLOCATED) or value != "true":
                continue
            provider = key[: -len(ALLOCATED)]
            ls = ann.get(f"{provider}.kubernetes.io/logical_switch")
            subnet = subnets.get(ls) if ls else None
            has_lsp = subnet is not None and is_ovn_provider((subnet.get("spec") or {}).get("provider"))
            yield {
                "pod": pod,
                "namespace": ns,
                "owner": owner,
                "provider": provider,
                "subnet": ls if ls else by_provider.get(provider, ""),
                "ip": ann.get(f"{provider}.kubernetes.io/ip_address", ""),
                "mac": ann.get(f"{provider}.kubernetes.io/mac_address", ""),
                "name": port_name(owner, ns, provider),
                "lsp": has_lsp,
                "vm": owner if owner != _meta(pod).get("name") else "",
            }


def _switch_for(subnet: dict) -> SwitchSpec:
    spec = subnet.get("spec") or {}
    name = _meta(subnet)["name"]
    other: dict[str, str] = {}
    for cidr in str(spec.get("cidrBlock") or "").split(","):
        if ":" in cidr:
            other["ipv6_prefix"] = cidr.split("/")[0]
        elif cidr:
            other["subnet"] = cidr
    if spec.get("excludeIps"):
        other["exclude_ips"] = " ".join(spec["excludeIps"])
    sw = SwitchSpec(name=name, external_ids={"vendor": VENDOR}, other_config=other)
    if not spec.get("vlan") or spec.get("logicalGateway") or spec.get("u2oInterconnection"):
        router = spec.get("vpc") or DEFAULT_ROUTER
        sw.ports.append(
            PortSpec(
                name=f"{name}-{router}",
                type="router",
                addresses=["router"],
                external_ids={"ls": name, "vendor": VENDOR},
                options={"router-port": f"{router}-{name}"},
            )
        )
    return sw


def _migration_options(pods: list[dict], objects: list[dict]) -> dict[str, str]:
    """Options kube-ovn-controller sets on a VM's ports for a live migration (`kubevirt.go`)."""
    targets = [p for p in pods if MIGRATION_JOB_UID in (_meta(p).get("labels") or {})]
    sources = [p for p in pods if p not in targets]
    if not targets:
        return {}
    target = targets[-1]
    dst = (target.get("spec") or {}).get("nodeName", "")
    src = (sources[0].get("spec") or {}).get("nodeName", "") if sources else ""
    job_uid = _meta(target)["labels"][MIGRATION_JOB_UID]
    phase = ""
    for mig in _kind(objects, "VirtualMachineInstanceMigration"):
        if _meta(mig).get("uid") == job_uid or _meta(mig).get("name") == _ann(target).get(MIGRATION_JOB_NAME):
            phase = (mig.get("status") or {}).get("phase", "")
    if phase == "Succeeded" or (dst and not src):
        return {"requested-chassis": dst}
    if phase == "Failed":
        return {"requested-chassis": src}
    if src and dst and src != dst:
        return {"requested-chassis": f"{src},{dst}", "activation-strategy": "rarp"}
    return {}


def derive_switches(
    objects: list[dict], keep_vm_ip: bool | None = None, nets: list[dict] | None = None
) -> list[SwitchSpec]:
    """The Logical_Switches and Logical_Switch_Ports Kube-OVN would have created for these objects.

    `nets`: `pod_networks(objects, keep_vm_ip)` when the caller already has it (saves a pass on big clusters).
    """
    switches: dict[str, SwitchSpec] = {}
    for subnet in _kind(objects, "Subnet"):
        if is_ovn_provider((subnet.get("spec") or {}).get("provider")):
            sw = _switch_for(subnet)
            switches[sw.name] = sw
    ports: dict[str, PortSpec] = {}
    port_pods: dict[str, list[dict]] = {}
    for net in pod_networks(objects, keep_vm_ip) if nets is None else nets:
        if not net["lsp"] or net["subnet"] not in switches:
            continue
        if net["vm"]:  # migration options go on the ports with external_ids:pod=<ns>/<vmi> (keep-vm-ip names)
            port_pods.setdefault(net["name"], []).append(net["pod"])
        if net["name"] in ports:
            continue
        port = PortSpec(
            name=net["name"],
            addresses=_addresses(net["mac"], net["ip"]),
            external_ids={"pod": f"{net['namespace']}/{net['owner']}", "ls": net["subnet"], "vendor": VENDOR},
        )
        ports[port.name] = port
        switches[net["subnet"]].ports.append(port)
    for name, pods in port_pods.items():
        ports[name].options.update(_migration_options(pods, objects))
    for node in _kind(objects, "Node"):
        ann = _ann(node)
        if ann.get("ovn.kubernetes.io/allocated") != "true":
            continue
        ls = ann.get("ovn.kubernetes.io/logical_switch") or JOIN_SWITCH
        sw = switches.setdefault(ls, SwitchSpec(name=ls, external_ids={"vendor": VENDOR}))
        sw.ports.append(
            PortSpec(
                name=f"node-{_meta(node)['name']}",
                addresses=_addresses(
                    ann.get("ovn.kubernetes.io/mac_address", ""), ann.get("ovn.kubernetes.io/ip_address", "")
                ),
                external_ids={"ls": ls, "vendor": VENDOR},
            )
        )
    return list(switches.values())


def ip_cr(
    name: str,
    subnet: str,
    ip: str,
    mac: str,
    *,
    pod_name: str,
    namespace: str,
    node: str,
    pod_type: str = "",
    created: str = "",
) -> dict:
    """An `ips.kubeovn.io` object as `createOrUpdateIPCR` writes it."""
    if "," not in ip:
        v4, v6 = ("", ip) if ":" in ip else (ip, "")
    else:
        v4 = ",".join(a for a in ip.split(",") if a and ":" not in a)
        v6 = ",".join(a for a in ip.split(",") if ":" in a)
    labels = {"ovn.kubernetes.io/subnet": subnet, subnet: ""}
    if node:
        labels["ovn.kubernetes.io/node-name"] = node
    meta: dict[str, Any] = {"name": name, "labels": labels, "finalizers": ["kube-ovn-controller"]}
    if created:
        meta["creationTimestamp"] = created
    return {
        "apiVersion": "kubeovn.io/v1",
        "kind": "IP",
        "metadata": meta,
        "spec": {
            "podName": pod_name,
            "namespace": namespace,
            "subnet": subnet,
            "attachSubnets": [],
            "nodeName": node,
            "ipAddress": ip,
            "v4IpAddress": v4,
            "v6IpAddress": v6,
            "attachIps": [],
            "macAddress": mac,
            "attachMacs": [],
            "containerID": "",
            "podType": pod_type,
        },
    }


def derive_ips(objects: list[dict], keep_vm_ip: bool | None = None, nets: list[dict] | None = None) -> list[dict]:
    """IP CRs for every allocated pod network (OVN and IPAM-only) and every allocated node."""
    out: dict[str, dict] = {}
    for net in pod_networks(objects, keep_vm_ip) if nets is None else nets:
        if net["name"] in out or not net["ip"]:
            continue
        pod = net["pod"]
        out[net["name"]] = ip_cr(
            net["name"],
            net["subnet"],
            net["ip"],
            net["mac"],
            pod_name=net["owner"],
            namespace=net["namespace"],
            node=(pod.get("spec") or {}).get("nodeName", ""),
            pod_type="VirtualMachine" if net["vm"] else "",
            created=_meta(pod).get("creationTimestamp", ""),
        )
    for node in _kind(objects, "Node"):
        ann, name = _ann(node), _meta(node)["name"]
        if ann.get("ovn.kubernetes.io/allocated") == "true" and ann.get("ovn.kubernetes.io/ip_address"):
            out[f"node-{name}"] = ip_cr(
                f"node-{name}",
                ann.get("ovn.kubernetes.io/logical_switch") or JOIN_SWITCH,
                ann["ovn.kubernetes.io/ip_address"],
                ann.get("ovn.kubernetes.io/mac_address", ""),
                pod_name=name,
                namespace="",
                node=name,
                created=_meta(node).get("creationTimestamp", ""),
            )
    return list(out.values())


def sync_subnet_status(objects: list[dict]) -> None:
    """Fill Subnet `status.v4usingIPs`/`v4availableIPs` from the IP CRs and Vpc `status.subnets` (in place)."""
    used: dict[str, int] = {}
    for ip in _kind(objects, "IP"):
        sub = (ip.get("spec") or {}).get("subnet", "")
        used[sub] = used.get(sub, 0) + 1
    vpc_subnets: dict[str, list[str]] = {}
    for subnet in _kind(objects, "Subnet"):
        name, spec = _meta(subnet)["name"], subnet.get("spec") or {}
        status = subnet.setdefault("status", {})
        cidr = next((c for c in str(spec.get("cidrBlock", "")).split(",") if c and ":" not in c), "")
        if cidr and "/" in cidr:
            size = 2 ** (32 - int(cidr.split("/")[1])) - 2
            status["v4usingIPs"] = used.get(name, 0)
            status["v4availableIPs"] = max(size - len(spec.get("excludeIps") or []) - used.get(name, 0), 0)
        if is_ovn_provider(spec.get("provider")):
            vpc_subnets.setdefault(spec.get("vpc") or DEFAULT_ROUTER, []).append(name)
    for vpc in _kind(objects, "Vpc"):
        vpc.setdefault("status", {})["subnets"] = sorted(vpc_subnets.get(_meta(vpc)["name"], []))
