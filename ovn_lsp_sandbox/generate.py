"""A large synthetic Kube-OVN cluster for benchmarks (`sandbox up --generate pods=10000,vms=2000,lsps=50000`).

What `generate(pods, vms, lsps, seed)` builds, on top of the shipped base cluster (controller, ovn-central, nodes,
ovn-default and join):

* `pods` workload pods (Deployments/ReplicaSets of 10, in namespaces `tenant-NN`, 250 pods each) on the default
  network; every 10th also has a macvlan attachment with kube-ovn IPAM (IP CR, no port);
* `vms` KubeVirt VMs (namespaces `vms-NN`) with a VMI and a Running launcher pod each, keep-vm-ip naming; every
  20th VM is on a Multus default network only (the #5087 shape, port `<vm>.<ns>.vm-default.default.ovn`);
* kube-ovn-type NADs `default/attach-<i>` (Subnets `attach-<i>`, 10.(100+i).0.0/16; 10.(100+4i).0.0/14 when one
  holds over 60,000 addresses) and attachments of them on
  pods and VMs, spread round-robin so that the total Logical_Switch_Port count is exactly `lsps`
  (pod/VM ports + attachment ports + one router port per OVN subnet + `node-<n>` for one node per 100 pods);
* IP CRs for every allocated network. NB content comes from `derive_nb.derive_switches`, as for scenarios.

Deterministic for a seed; plain dicts, no copies.
"""

from __future__ import annotations

import gc
import json
import math
from datetime import datetime

from ovn_lsp_sandbox import clock, derive_nb, generate_gc
from ovn_lsp_sandbox import generate_objects as build
from ovn_lsp_sandbox.scenario import Scenario

PODS_PER_NS = 250
PODS_PER_DEPLOY = 10
PODS_PER_NODE = 100
MULTUS_DEFAULT_EVERY = 20  # every 20th VM: Multus default network only
MACVLAN_EVERY = 10  # every 10th pod: a macvlan (IPAM-only) attachment


NARROW_UNITS = 60000  # pods + VMs that fit ovn-default's 10.16.0.0/16 (and an attachment Subnet's /16)
WIDE_CIDR, WIDE_UNITS = "10.16.0.0/12", 1_000_000  # past that: the default subnet of a large cluster
KEYS = ("pods", "vms", "lsps", "orphans", "loglines", "lognames", "seed")


def parse_generate_spec(spec: str) -> dict[str, int]:
    """`pods=10000,vms=2000,lsps=50000[,seed=1]` -> keyword arguments of `generate`."""
    out: dict[str, int] = {}
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in KEYS:
            raise ValueError(
                f"--generate: expected pods=N,vms=N,lsps=N[,orphans=N,loglines=N,lognames=N,seed=N], got {part!r}"
            )
        try:
            out[key] = int(value.replace("_", ""))
        except ValueError:
            raise ValueError(f"--generate: {key} must be an integer, got {value!r}") from None
        if out[key] < 0:
            raise ValueError(f"--generate: {key} must not be negative")
    return out


def _widened(obj: dict) -> dict:
    """The base cluster's ovn-default Subnet and controller flag for a cluster over 60,000 pods: 10.16.0.0/12."""
    if obj.get("kind") == "Subnet" and obj["metadata"]["name"] == "ovn-default":
        return {**obj, "spec": {**obj["spec"], "cidrBlock": WIDE_CIDR}}
    if obj.get("kind") == "Deployment" and obj["metadata"]["name"] == "kube-ovn-controller":
        spec = json.loads(json.dumps(obj["spec"]))
        for container in spec["template"]["spec"]["containers"]:
            container["args"] = [
                f"--default-cidr={WIDE_CIDR}" if a.startswith("--default-cidr=") else a
                for a in container.get("args", [])
            ]
        return {**obj, "spec": spec}
    return obj


def _plan(pods: int, vms: int, lsps: int, n_nodes: int, orphans: int = 0) -> tuple[int, int]:
    """(number of kube-ovn attachment NADs, attachment ports) so that the port total is exactly `lsps`."""
    units = pods + vms
    lost_nodes = n_nodes // generate_gc.NODE_PORT_LOST_EVERY
    fixed = pods + vms + n_nodes - lost_nodes + 2 * orphans + 2 + (1 if vms >= MULTUS_DEFAULT_EVERY else 0)
    for n_nads in range(1, 151):
        extra = lsps - fixed - n_nads
        if extra < 0:
            break
        if extra <= units * n_nads:
            return n_nads, extra
    minimum = fixed + 1
    if lsps < minimum:
        raise ValueError(f"--generate: lsps={lsps} is below the {minimum} ports that {pods} pods and {vms} VMs need")
    raise ValueError(f"--generate: lsps={lsps} needs more than 150 attachments per pod or VM; add pods or VMs")


def generate(
    pods: int = 10000,
    vms: int = 2000,
    lsps: int = 50000,
    seed: int = 1,
    orphans: int | None = None,
    loglines: int = 0,
    lognames: int = 2000,
    now: datetime | None = None,
) -> Scenario:
    """A synthetic cluster with exactly `pods` workload pods, `vms` VMs and `lsps` Logical_Switch_Ports, of which
    `2 × orphans` are ports of deleted VMs (default: one deleted VM per 500 ports) and every 20th node's port is
    missing; with `loglines`, the controller log holds that many GC lines over `lognames` port names.
    Its times are written at `build.AUTHORED_AT`; with `now` they are moved there (clock.py), as `sandbox up` does.

    The cyclic garbage collector is paused while building: ~1M fresh dicts otherwise trigger dozens of full
    collections and double the time (nothing built here is cyclic).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        scenario = _generate(pods, vms, lsps, seed, lsps // 1000 if orphans is None else orphans, loglines, lognames)
    finally:
        if enabled:
            gc.enable()
    scenario.authored_at = build.AUTHORED_AT
    if now is not None:
        scenario.clock_shift = clock.move_scenario(scenario.objects, scenario.logs, build.AUTHORED_AT, now)
    return scenario


def _generate(pods: int, vms: int, lsps: int, seed: int, orphans: int, loglines: int, lognames: int) -> Scenario:
    from ovn_lsp_sandbox.scenario_load import load_scenario

    if pods + vms > WIDE_UNITS:
        raise ValueError(f"--generate: pods + vms must fit in ovn-default ({WIDE_CIDR}): at most {WIDE_UNITS}")
    base = load_scenario("base")
    g = build.Gen(seed)
    objects: list[dict] = list(base.objects)
    ovn_cidr = "10.16.0.0/16"
    if pods + vms > NARROW_UNITS:  # as a cluster this large is set up: a wider default subnet
        ovn_cidr = WIDE_CIDR
        objects = [_widened(o) for o in objects]
    nodes = [o for o in objects if o["kind"] == "Node"]
    n_nodes = max(len(nodes), math.ceil((pods + vms) / PODS_PER_NODE))
    for i in range(len(nodes) + 1, n_nodes + 1):
        nodes.append(build.node(i, g.uid(), i + 1, g.mac()))
        objects.append(nodes[-1])
    if orphans and vms == 0 and pods == 0:
        orphans = 0
    n_nads, extra = _plan(pods, vms, lsps, n_nodes, orphans)
    units = max(pods + vms, 1)
    per_unit, bonus = divmod(extra, units)

    wide_nads = extra > NARROW_UNITS * n_nads  # over ~65,000 addresses per attachment Subnet: /14 each
    attach = [(f"attach-{i}", f"10.{100 + (4 * i if wide_nads else i)}") for i in range(n_nads)]
    nad_bits = 14 if wide_nads else 16
    for name, prefix in attach:
        objects.append(
            build.nad(
                name,
                g.uid(),
                {
                    "cniVersion": "0.3.1",
                    "type": "kube-ovn",
                    "server_socket": "/run/openvswitch/kube-ovn-daemon.sock",
                    "provider": f"{name}.default.ovn",
                },
            )
        )
        objects.append(build.subnet(name, f"{prefix}.0.0/{nad_bits}", f"{name}.default.ovn", g.uid()))
    objects.append(
        build.nad(
            "macvlan",
            g.uid(),
            {
                "cniVersion": "0.3.1",
                "type": "macvlan",
                "master": "eth0",
                "mode": "bridge",
                "ipam": {
                    "type": "kube-ovn",
                    "server_socket": "/run/openvswitch/kube-ovn-daemon.sock",
                    "provider": "macvlan.default",
                },
            },
        )
    )
    objects.append(build.subnet("macvlan", "172.30.0.0/16", "macvlan.default", g.uid()))
    if vms >= MULTUS_DEFAULT_EVERY:
        objects.append(
            build.nad(
                "vm-default",
                g.uid(),
                {
                    "cniVersion": "0.3.1",
                    "type": "kube-ovn",
                    "server_socket": "/run/openvswitch/kube-ovn-daemon.sock",
                    "provider": "vm-default.default.ovn",
                },
            )
        )
        objects.append(build.subnet("vm-default", "10.99.0.0/16", "vm-default.default.ovn", g.uid()))

    def attachments(unit: int) -> list[tuple[str, str]]:
        k = per_unit + (1 if unit < bonus else 0)
        return [attach[(unit + j) % n_nads] for j in range(k)]

    # ------------------------------------------------------------ workload pods
    for ns_i in range(math.ceil(pods / PODS_PER_NS)):
        objects.append(build.namespace(f"tenant-{ns_i:02d}", g.uid()))
    deploy = rs = None
    for i in range(pods):
        ns = f"tenant-{i // PODS_PER_NS:02d}"
        if i % PODS_PER_DEPLOY == 0 or i % PODS_PER_NS == 0:
            app = f"app-{i // PODS_PER_DEPLOY:04d}"
            h = g.suffix(9)
            deploy = {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {
                    "name": app,
                    "namespace": ns,
                    "uid": g.uid(),
                    "generation": 1,
                    "creationTimestamp": build.CREATED,
                },
                "spec": {
                    "replicas": PODS_PER_DEPLOY,
                    "selector": {"matchLabels": {"app": app}},
                    "template": {
                        "metadata": {"labels": {"app": app}},
                        "spec": {"containers": [{"name": "app", "image": "docker.io/library/nginx:1.27"}]},
                    },
                },
                "status": {
                    "replicas": PODS_PER_DEPLOY,
                    "readyReplicas": PODS_PER_DEPLOY,
                    "availableReplicas": PODS_PER_DEPLOY,
                    "observedGeneration": 1,
                },
            }
            rs = {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "metadata": {
                    "name": f"{app}-{h}",
                    "namespace": ns,
                    "uid": g.uid(),
                    "creationTimestamp": build.CREATED,
                    "labels": {"app": app, "pod-template-hash": h},
                    "ownerReferences": [build.ref(deploy)],
                },
                "spec": {
                    "replicas": PODS_PER_DEPLOY,
                    "selector": {"matchLabels": {"app": app, "pod-template-hash": h}},
                },
                "status": {"replicas": PODS_PER_DEPLOY, "readyReplicas": PODS_PER_DEPLOY},
            }
            objects += [deploy, rs]
        ip = g.ip("ovn-default", "10.16")
        ann: dict[str, str] = {}
        build.net_annotations(ann, "ovn", "ovn-default", ovn_cidr, ip, g.mac(), True)
        nets = [f"default/{n}" for n, _ in attachments(i)]
        for name, prefix in attachments(i):
            build.net_annotations(
                ann, f"{name}.default.ovn", name, f"{prefix}.0.0/{nad_bits}", g.ip(name, prefix), g.mac(), True
            )
        if i % MACVLAN_EVERY == MACVLAN_EVERY - 1:
            nets.append("default/macvlan")
            build.net_annotations(
                ann, "macvlan.default", "macvlan", "172.30.0.0/16", g.ip("macvlan", "172.30"), g.mac(), False
            )
        if nets:
            ann["k8s.v1.cni.cncf.io/networks"] = ",".join(nets)
        labels = rs["metadata"]["labels"]
        objects.append(
            build.pod(
                g.unique(f"{rs['metadata']['name']}-", ns),
                ns,
                g.uid(),
                dict(labels),
                ann,
                build.ref(rs),
                nodes[i % n_nodes],
                ip,
                ["app"],
                "docker.io/library/nginx:1.27",
            )
        )

    # ------------------------------------------------------------ VMs
    for ns_i in range(math.ceil(vms / PODS_PER_NS)):
        objects.append(build.namespace(f"vms-{ns_i:02d}", g.uid()))
    for v in range(vms):
        ns, name, unit = f"vms-{v // PODS_PER_NS:02d}", f"vm-{v:05d}", pods + v
        node = nodes[unit % n_nodes]
        multus_default = v % MULTUS_DEFAULT_EVERY == MULTUS_DEFAULT_EVERY - 1
        ann = {
            "kubectl.kubernetes.io/default-container": "compute",
            "kubevirt.io/domain": name,
            "kubevirt.io/vm-generation": "1",
        }
        interfaces, networks, attach_json = [{"name": "default", "bridge": {}}], [], []
        if multus_default:
            ip = g.ip("vm-default", "10.99")
            networks.append({"name": "default", "multus": {"default": True, "networkName": "default/vm-default"}})
            ann["v1.multus-cni.io/default-network"] = "default/vm-default"
            build.net_annotations(ann, "vm-default.default.ovn", "vm-default", "10.99.0.0/16", ip, g.mac(), True, name)
        else:
            ip = g.ip("ovn-default", "10.16")
            networks.append({"name": "default", "pod": {}})
            build.net_annotations(ann, "ovn", "ovn-default", ovn_cidr, ip, g.mac(), True, name)
        for j, (nad, prefix) in enumerate(attachments(unit)):
            interfaces.append({"name": f"net{j + 1}", "bridge": {}})
            networks.append({"name": f"net{j + 1}", "multus": {"networkName": f"default/{nad}"}})
            attach_json.append({"interface": f"pod{g.suffix(11)}", "name": nad, "namespace": "default"})
            build.net_annotations(
                ann, f"{nad}.default.ovn", nad, f"{prefix}.0.0/{nad_bits}", g.ip(nad, prefix), g.mac(), True, name
            )
        if attach_json:
            ann["k8s.v1.cni.cncf.io/networks"] = json.dumps(attach_json, separators=(",", ":"))
        tmpl = {
            "domain": {
                "devices": {"interfaces": interfaces, "disks": [{"name": "containerdisk", "disk": {"bus": "virtio"}}]},
                "resources": {"requests": {"memory": "1Gi"}},
            },
            "networks": networks,
            "volumes": [
                {
                    "name": "containerdisk",
                    "containerDisk": {"image": "quay.io/kubevirt/cirros-container-disk-demo:v1.3.1"},
                }
            ],
        }
        vm = {
            "apiVersion": "kubevirt.io/v1",
            "kind": "VirtualMachine",
            "metadata": {
                "name": name,
                "namespace": ns,
                "uid": g.uid(),
                "generation": 1,
                "creationTimestamp": build.CREATED,
            },
            "spec": {
                "runStrategy": "Always",
                "template": {"metadata": {"labels": {"kubevirt.io/domain": name}}, "spec": tmpl},
            },
            "status": {
                "created": True,
                "ready": True,
                "printableStatus": "Running",
                "runStrategy": "Always",
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": build.READY}],
            },
        }
        vmi = {
            "apiVersion": "kubevirt.io/v1",
            "kind": "VirtualMachineInstance",
            "metadata": {
                "name": name,
                "namespace": ns,
                "uid": g.uid(),
                "creationTimestamp": build.CREATED,
                "labels": {"kubevirt.io/domain": name, "kubevirt.io/nodeName": node["metadata"]["name"]},
                "ownerReferences": [build.ref(vm)],
            },
            "spec": tmpl,
            "status": {
                "phase": "Running",
                "nodeName": node["metadata"]["name"],
                "interfaces": [{"name": "default", "interfaceName": "eth0", "ipAddress": ip, "ipAddresses": [ip]}],
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": build.READY}],
            },
        }
        labels = {
            "kubevirt.io": "virt-launcher",
            "kubevirt.io/created-by": vmi["metadata"]["uid"],
            "kubevirt.io/domain": name,
            "kubevirt.io/nodeName": node["metadata"]["name"],
            "vm.kubevirt.io/name": name,
        }
        launcher = build.pod(
            g.unique(f"virt-launcher-{name}-", ns),
            ns,
            g.uid(),
            labels,
            ann,
            build.ref(vmi),
            node,
            ip,
            ["compute", "volumecontainerdisk"],
            "quay.io/kubevirt/virt-launcher:v1.3.1",
            restart="Never",
        )
        vmi["status"]["activePods"] = {launcher["metadata"]["uid"]: node["metadata"]["name"]}
        objects += [vm, vmi, launcher]

    nets = list(derive_nb.pod_networks(objects, keep_vm_ip=True))
    switches = derive_nb.derive_switches(objects, keep_vm_ip=True, nets=nets)
    objects += derive_nb.derive_ips(objects, keep_vm_ip=True, nets=nets)
    derive_nb.sync_subnet_status(objects)
    gone = generate_gc.orphan_ports(orphans, g.mac, g.ip)
    generate_gc.add_orphans(switches, gone)
    lost_nodes = generate_gc.drop_node_ports(switches, [n["metadata"]["name"] for n in nodes])
    total = sum(len(sw.ports) for sw in switches)
    if total != lsps:  # the plan and the derivation disagree: a bug here, not a user error
        raise AssertionError(f"generated {total} ports, expected {lsps}")
    return Scenario(
        name=f"generated-p{pods}-v{vms}-l{lsps}",
        description=f"synthetic: {pods} pods, {vms} VMs, {lsps} LSPs (seed {seed})",
        objects=objects,
        logs=_controller_log(
            base.logs, objects, loglines, lognames, lost_nodes, [p.name for ports in gone.values() for p in ports]
        ),
        nb_switches=switches,
    )


def _controller_log(
    logs: dict[str, str],
    objects: list[dict],
    loglines: int = 0,
    lognames: int = 0,
    lost_nodes: list[str] = (),
    deleted: list[str] = (),
) -> dict[str, str]:  # type: ignore[assignment]
    """The base controller log plus what v1.13.4 GC logs every 6 min: #5087 for each Multus-default-only VM
    (or, with `loglines`, that many GC lines: generate_gc.controller_log)."""
    lost = [
        f"{o['metadata']['name']}.{o['metadata']['namespace']}"
        for o in objects
        if o["kind"] == "VirtualMachine"
        and any((n.get("multus") or {}).get("default") for n in o["spec"]["template"]["spec"]["networks"])
    ]
    lines = [
        f"E1127 {9 + (54 + 6 * c) // 60:02d}:{(54 + 6 * c) % 60:02d}:00.{117000 + 13 * i:06d}       1 gc.go:430] "
        f"lsp lost for pod {name}, please delete the pod and retry"
        for c in range(7)
        for i, name in enumerate(lost)
    ]
    out = dict(logs)
    key = next(k for k in out if k.startswith("kube-system/kube-ovn-controller-"))
    if loglines:
        out[key] = out[key] + generate_gc.controller_log(loglines, lognames, lost + list(lost_nodes), list(deleted))
    else:
        out[key] = out[key] + "".join(line + "\n" for line in lines)
    return out
