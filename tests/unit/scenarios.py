"""The spec's §7 examples (TC1–TC14) as snapshots, parameterised the way the tests vary them."""

from __future__ import annotations

import json

from factories import address, allocated, launcher, multus_net, nad, nb_port, pod, snapshot, subnet, vm

from kubectl_ovn_lsp.model.snapshot import WorkloadSnapshot


def tc1(*, in_nb: bool = True, **pod_kw) -> WorkloadSnapshot:
    """Plain pod on the default network."""
    p = pod("web-5f7c", "app", allocated("ovn", "ovn-default"), **pod_kw)
    nb = [nb_port("web-5f7c.app", "app", "web-5f7c")] if in_nb else []
    return snapshot("app", "Pod", "web-5f7c", pods=[p], nb=nb)


def tc2(
    *,
    networks: str = "default/attachnet",
    nb_names: tuple[str, ...] | None = None,
    subnet_provider: str = "attachnet.default.ovn",
) -> WorkloadSnapshot:
    """Pod + kube-ovn NAD attachment."""
    ann = {
        "k8s.v1.cni.cncf.io/networks": networks,
        **allocated("ovn", "ovn-default"),
        **allocated("attachnet.default.ovn", "attach-subnet", "172.17.0.11"),
    }
    names = ("p1.default", "p1.default.attachnet.default.ovn") if nb_names is None else nb_names
    nb = [
        nb_port(n, "default", "p1", "attach-subnet", address=address("172.17.0.11"))
        if "attachnet" in n
        else nb_port(n, "default", "p1", "ovn-default")
        for n in names
    ]
    return snapshot(
        "default",
        "Pod",
        "p1",
        pods=[pod("p1", "default", ann)],
        nads=[nad("attachnet", "default")],
        subnets=[subnet("attach-subnet", subnet_provider, "172.17.0.0/16")],
        nb=nb,
    )


def tc3(*, with_logical_switch: bool = False, namespace: str = "default") -> WorkloadSnapshot:
    """Pod + macvlan NAD with kube-ovn IPAM: an IP, no port. v1.9–v1.11 also wrote logical_switch."""
    provider = f"macvlan.{namespace}"
    ann = {
        "k8s.v1.cni.cncf.io/networks": "macvlan",
        **allocated("ovn", "ovn-default"),
        **allocated(provider, "macvlan-subnet" if with_logical_switch else None, "172.18.0.5"),
    }
    return snapshot(
        namespace,
        "Pod",
        "p2",
        pods=[pod("p2", namespace, ann)],
        nads=[nad("macvlan", namespace, "macvlan", ipam="kube-ovn")],
        subnets=[subnet("macvlan-subnet", provider, "172.18.0.0/16")],
        nb=[nb_port(f"p2.{namespace}", namespace, "p2")],
    )


def tc4_vm() -> dict:
    return vm("vm-a", "test-ns", [multus_net("default", "subnet-a", default=True)])


def tc4(*, keep_vm_ip: bool = True, running: bool = True, target: str = "VirtualMachine") -> WorkloadSnapshot:
    """#5087: VM whose only network is a Multus default network (kube-ovn NAD subnet-a)."""
    provider = "subnet-a.test-ns.ovn"
    ann = {
        "v1.multus-cni.io/default-network": "test-ns/subnet-a",
        **allocated(provider, "subnet-a", "172.17.0.10", mac="00:00:00:0A:00:02"),
    }
    if keep_vm_ip:
        ann[f"{provider}.kubernetes.io/virtualmachine"] = "vm-a"
    launcher_pod = launcher("vm-a", "test-ns", ann)
    owner = "vm-a" if keep_vm_ip else launcher_pod["metadata"]["name"]
    nb = [nb_port(f"{owner}.test-ns.{provider}", "test-ns", owner, "subnet-a", address="00:00:00:0a:00:02 172.17.0.10")]
    if not running and not keep_vm_ip:
        nb = []
    name = "vm-a" if target == "VirtualMachine" else launcher_pod["metadata"]["name"]
    return snapshot(
        "test-ns",
        target,
        name,
        pods=[launcher_pod] if running else [],
        vm_obj=tc4_vm(),
        nads=[nad("subnet-a", "test-ns")],
        subnets=[subnet("subnet-a", provider, "172.17.0.0/16")],
        nb=nb,
    )


def tc5(
    *,
    running: bool = True,
    network_name: str = "nad-a",
    template_annotation: str | None = None,
    nad_obj: dict | None = None,
    nb_multus: bool = True,
) -> WorkloadSnapshot:
    """VM with the pod network + a kube-ovn secondary NAD named by a bare networkName."""
    provider = "nad-a.vmns.ovn"
    v = vm(
        "vm1",
        "vmns",
        [{"name": "default", "pod": {}}, multus_net("multus-net", network_name)],
        template_annotations=None
        if template_annotation is None
        else {"k8s.v1.cni.cncf.io/networks": template_annotation},
        run_strategy="Always" if running else "Halted",
        ready=running,
    )
    nb = [nb_port("vm1.vmns", "vmns", "vm1")]
    if nb_multus:
        nb.append(
            nb_port(f"vm1.vmns.{provider}", "vmns", "vm1", "subnet-nad-a", address="00:00:00:0b:00:03 172.19.0.3")
        )
    pods = []
    if running:
        ann = {
            "k8s.v1.cni.cncf.io/networks": json.dumps(
                [{"interface": "pod7e0055a6880", "name": "nad-a", "namespace": "vmns"}]
            ),
            **allocated("ovn", "ovn-default"),
            **allocated(provider, "subnet-nad-a", "172.19.0.3", mac="00:00:00:0B:00:03"),
            "ovn.kubernetes.io/virtualmachine": "vm1",
            f"{provider}.kubernetes.io/virtualmachine": "vm1",
        }
        pods = [launcher("vm1", "vmns", ann)]
    return snapshot(
        "vmns",
        "VirtualMachine",
        "vm1",
        pods=pods,
        vm_obj=v,
        nads=[nad_obj or nad("nad-a", "vmns")],
        subnets=[subnet("subnet-nad-a", provider, "172.19.0.0/16")],
        nb=nb,
    )


def tc8(*, keep_vm_ip: bool = True) -> WorkloadSnapshot:
    """Live migration: source and target launcher pods, both owned by VMI vm4."""
    ann = {**allocated("ovn", "ovn-default"), "ovn.kubernetes.io/virtualmachine": "vm4"}
    src = launcher("vm4", "vmns", ann, suffix="aaaaa", node="node1")
    dst = launcher(
        "vm4",
        "vmns",
        {**ann, "kubevirt.io/migrationJobName": "job"},
        suffix="bbbbb",
        node="node2",
        labels={"kubevirt.io/migrationJobUID": "uid-mig"},
    )
    opts = {"requested-chassis": "node1,node2", "activation-strategy": "rarp"}
    if keep_vm_ip:
        nb = [nb_port("vm4.vmns", "vmns", "vm4", options=opts)]
    else:
        nb = [nb_port(f"{p['metadata']['name']}.vmns", "vmns", p["metadata"]["name"]) for p in (src, dst)]
    return snapshot("vmns", "VirtualMachine", "vm4", pods=[src, dst], vm_obj=vm("vm4", "vmns"), nb=nb)
