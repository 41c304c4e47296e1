"""The synthetic benchmark cluster: exact counts, consistency, determinism and build time."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from ovn_lsp_sandbox.generate import generate, parse_generate_spec
from ovn_lsp_sandbox.scenario_load import object_key


def kube_ovn_port_name(pod: str, namespace: str, provider: str) -> str:
    """Kube-OVN's `PodNameToPortName` (pkg/ovs/util.go), written out here rather than taken from the plugin's
    model, which the sandbox's derivation also uses: `<pod>.<ns>` for provider `ovn`, else `<pod>.<ns>.<provider>`."""
    return f"{pod}.{namespace}" if provider == "ovn" else f"{pod}.{namespace}.{provider}"


def kube_ovn_owner(pod: dict) -> str:
    """Kube-OVN's `getNameByPod` with --keep-vm-ip (pkg/controller/pod.go, `isVMPod`): the VMI owner's name
    (kubevirt.io apiVersion, kind VirtualMachineInstance), else the pod's name."""
    for ref in pod["metadata"].get("ownerReferences") or []:
        if ref.get("kind") == "VirtualMachineInstance" and str(ref.get("apiVersion", "")).startswith("kubevirt.io"):
            return str(ref["name"])
    return str(pod["metadata"]["name"])


def counts(sc) -> dict[str, int]:
    pods = [o for o in sc.objects if o["kind"] == "Pod"]
    is_launcher = [p["metadata"].get("labels", {}).get("kubevirt.io") == "virt-launcher" for p in pods]
    launchers = [p for p, launcher in zip(pods, is_launcher) if launcher]
    workload = [
        p for p, launcher in zip(pods, is_launcher) if not launcher and p["metadata"]["namespace"] != "kube-system"
    ]
    kinds = Counter(o["kind"] for o in sc.objects)
    return {
        "pods": len(workload),
        "launchers": len(launchers),
        "vms": kinds["VirtualMachine"],
        "vmis": kinds["VirtualMachineInstance"],
        "lsps": sum(len(sw.ports) for sw in sc.nb_switches),
    }


def test_parse_generate_spec() -> None:
    assert parse_generate_spec("pods=10000,vms=2000,lsps=50000") == {"pods": 10000, "vms": 2000, "lsps": 50000}
    assert parse_generate_spec(" pods=1_000 , seed=7 ") == {"pods": 1000, "seed": 7}
    for bad, msg in [
        ("pods=x", "pods must be an integer"),
        ("nodes=3", "expected pods=N"),
        ("pods", "expected pods=N"),
        ("vms=-1", "must not be negative"),
    ]:
        with pytest.raises(ValueError, match=msg):
            parse_generate_spec(bad)


@pytest.mark.parametrize(("pods", "vms", "lsps"), [(50, 20, 300), (40, 0, 45), (0, 30, 200), (7, 3, 1000)])
def test_small_cluster_counts_and_consistency(pods: int, vms: int, lsps: int) -> None:
    sc = generate(pods=pods, vms=vms, lsps=lsps, seed=3)
    assert counts(sc) == {"pods": pods, "launchers": vms, "vms": vms, "vmis": vms, "lsps": lsps}
    keys = [object_key(o) for o in sc.objects]
    assert len(keys) == len(set(keys))
    by_key = {(o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for o in sc.objects}
    for o in sc.objects:
        for ref in o["metadata"].get("ownerReferences") or []:
            owner = by_key[(ref["kind"], o["metadata"].get("namespace", ""), ref["name"])]
            assert owner["metadata"]["uid"] == ref["uid"]
    names = [p.name for sw in sc.nb_switches for p in sw.ports]
    assert len(names) == len(set(names))
    # Every OVN allocation of a pod has its port, and every pod-owned port belongs to a pod or VM of the dump:
    # checked from the objects' annotations and owner keys, not by running the generator's own derivation again.
    # On top: the ports of deleted VMs (`gone-*`, two per 1000 ports) and every 20th node without its port.
    orphans = {n for n in names if n.startswith("gone-")}
    assert len(orphans) == 2 * (lsps // 1000)
    nodes = sorted((o["metadata"]["name"] for o in sc.objects if o["kind"] == "Node"), key=lambda n: int(n[4:]))
    lost = {f"node-{n}" for i, n in enumerate(nodes) if i % 20 == 19}
    assert not lost & set(names) and {f"node-{n}" for n in nodes} - lost <= set(names)
    expected = set()
    for pod in (o for o in sc.objects if o["kind"] == "Pod" and o["metadata"]["namespace"] != "kube-system"):
        owner = kube_ovn_owner(pod)
        for key in pod["metadata"]["annotations"]:
            if key.endswith(".kubernetes.io/logical_switch"):
                provider = key[: -len(".kubernetes.io/logical_switch")]
                expected.add(kube_ovn_port_name(owner, pod["metadata"]["namespace"], provider))
    assert expected and expected <= set(names)
    owners = {
        f"{o['metadata'].get('namespace', '')}/{o['metadata']['name']}"
        for o in sc.objects
        if o["kind"] in ("Pod", "VirtualMachine")
    }
    pod_keys = {p.external_ids["pod"] for sw in sc.nb_switches for p in sw.ports if "pod" in p.external_ids}
    assert pod_keys - {f"vms-00/{n.split('.')[0]}" for n in orphans} <= owners
    ips = {o["metadata"]["name"] for o in sc.objects if o["kind"] == "IP"}
    assert {p.name for sw in sc.nb_switches for p in sw.ports if p.type == "" and not p.name.startswith("gone-")} <= ips


def test_shapes_multus_default_vm_and_macvlan() -> None:
    sc = generate(pods=20, vms=20, lsps=200, seed=1)
    ports = {p.name: p for sw in sc.nb_switches for p in sw.ports}
    vm = next(o for o in sc.objects if o["kind"] == "VirtualMachine" and o["metadata"]["name"] == "vm-00019")
    assert vm["spec"]["template"]["spec"]["networks"][0]["multus"] == {
        "default": True,
        "networkName": "default/vm-default",
    }
    assert "vm-00019.vms-00" not in ports and "vm-00019.vms-00.vm-default.default.ovn" in ports
    assert ports["vm-00000.vms-00"].external_ids["pod"] == "vms-00/vm-00000"
    log = next(v for k, v in sc.logs.items() if "kube-ovn-controller" in k)
    assert (
        "E1127 10:06:00." in log and log.count("lsp lost for pod vm-00019.vms-00, please delete the pod and retry") == 7
    )
    macvlan = [o for o in sc.objects if o["kind"] == "IP" and o["metadata"]["name"].endswith(".macvlan.default")]
    assert macvlan and not any(n.endswith(".macvlan.default") for n in ports)
    nads = {
        o["metadata"]["name"]: json.loads(o["spec"]["config"])
        for o in sc.objects
        if o["kind"] == "NetworkAttachmentDefinition"
    }
    assert nads["macvlan"]["ipam"]["type"] == "kube-ovn" and nads["attach-0"]["type"] == "kube-ovn"
    assert any(o["kind"] == "Deployment" and o["metadata"]["name"] == "kube-ovn-controller" for o in sc.objects)
    assert any(
        o["kind"] == "Pod" and o["metadata"].get("labels", {}).get("ovn-nb-leader") == "true" for o in sc.objects
    )


def test_deterministic_for_a_seed() -> None:
    def dump(sc):
        return json.dumps(
            [sc.objects, [(s.name, [p.__dict__ for p in s.ports]) for s in sc.nb_switches]], sort_keys=True
        )  # noqa: E731

    a, b, c = (generate(pods=30, vms=10, lsps=150, seed=s) for s in (5, 5, 6))
    assert dump(a) == dump(b) and dump(a) != dump(c)


def test_too_few_lsps_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"lsps=10 is below the \d+ ports"):
        generate(pods=100, vms=10, lsps=10)


def test_benchmark_size_is_exact() -> None:
    sc = generate(pods=10000, vms=2000, lsps=50000)
    assert counts(sc) == {"pods": 10000, "launchers": 2000, "vms": 2000, "vmis": 2000, "lsps": 50000}


def test_addresses_go_on_past_a_slash_16_for_large_clusters() -> None:
    """Over 60,000 pods the default network is 10.16.0.0/12 (and a crowded attachment Subnet a /14): addresses
    count on into the next /16 instead of forming 10.16.256.0."""
    from ovn_lsp_sandbox.generate import _widened
    from ovn_lsp_sandbox.generate_objects import Gen
    from ovn_lsp_sandbox.scenario_load import load_scenario

    g = Gen(1)
    assert [g.ip("s", "10.16") for _ in range(2)] == ["10.16.0.2", "10.16.0.3"]
    g.next_ip["s"] = 65535
    assert [g.ip("s", "10.16") for _ in range(3)] == ["10.16.255.255", "10.17.0.0", "10.17.0.1"]
    widened = [_widened(o) for o in load_scenario("base").objects]
    subnet = next(o for o in widened if o["kind"] == "Subnet" and o["metadata"]["name"] == "ovn-default")
    controller = next(
        o for o in widened if o["kind"] == "Deployment" and o["metadata"]["name"] == "kube-ovn-controller"
    )
    assert subnet["spec"]["cidrBlock"] == "10.16.0.0/12"
    assert "--default-cidr=10.16.0.0/12" in controller["spec"]["template"]["spec"]["containers"][0]["args"]
    with pytest.raises(ValueError, match=r"at most 1000000"):
        generate(pods=1_000_000, vms=1, lsps=2_000_000)
