"""Shipped sandbox scenarios, NB derivation and dump-directory loading (pure, no servers)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from ovn_lsp_sandbox import derive_nb
from ovn_lsp_sandbox.scenario_load import list_shipped, load_dump_dir, load_scenario, object_key

SHIPPED = [name for name, _ in list_shipped()]
# public reports with a Pending pod on purpose (issue #10; #6823's migration target waits in ContainerCreating)
FIELD_CASES = {"nonprimary-vm-migration", "sts-zombie-port", "migration-setup-skipped"}
# public reports whose NB is broken on purpose (issue #16): a port without external_ids:ls whose IP CR GC deleted
# (#5735, #6103), and a leftover port of a deleted pod whose IP CR went with the pod
BROKEN_PORTS = {
    "gc-noop-port-without-ls": {"acp-daemonset-m5wc5.e2eproject"},
    "gc-stalled-port-without-ls": {"acp-app-import-6ql4r.e2eproject", "old-db-1.app"},
}


def ports(scenario) -> dict:
    return {p.name: p for sw in scenario.nb_switches for p in sw.ports}


def pod_ports(scenario) -> set[str]:
    """Ports of pods and VMs (type "" and an external_ids:pod), i.e. what TCs talk about."""
    return {n for n, p in ports(scenario).items() if p.type == "" and "pod" in p.external_ids}


def by_kind(scenario, kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in scenario.objects if o["kind"] == kind}


def test_shipped_list() -> None:
    assert SHIPPED == [
        "gc-noop-port-without-ls",
        "gc-stalled-port-without-ls",
        "ipam-only-ip-leak",
        "migration-setup-skipped",
        "node-port-missing",
        "node-port-stale-address",
        "nonprimary-vm-migration",
        "sts-zombie-port",
        "tc1",
        "tc2",
        "tc3",
        "tc4",
        "tc5",
        "tc8",
        "tc14",
        "triage-gc-lines",
        "vm-deleted-orphan-ports",
        "vm-recreated-other-subnet",
    ]
    assert all(desc for _, desc in list_shipped())


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenario_is_consistent(name: str) -> None:
    sc = load_scenario(name)
    assert sc.name == name and sc.description
    keys = [(o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]) for o in sc.objects]
    assert len(keys) == len(set(keys)), "duplicate (kind, namespace, name)"
    assert all("managedFields" not in o["metadata"] for o in sc.objects)
    uids = {}
    for o in sc.objects:
        uid = o["metadata"].get("uid")
        if uid:
            assert uid not in uids, f"uid {uid} used twice"
            uids[uid] = o
    present = {(o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for o in sc.objects}
    for o in sc.objects:
        for ref in o["metadata"].get("ownerReferences") or []:
            owner = present.get((ref["kind"], o["metadata"].get("namespace", ""), ref["name"]))
            assert owner is not None, f"{o['kind']} {o['metadata']['name']}: owner {ref['kind']}/{ref['name']} missing"
            assert owner["metadata"]["uid"] == ref["uid"]
            assert owner["apiVersion"] == ref["apiVersion"]
    # a real install: controller Deployment + Running pod, ovn-central leader pod, nodes, default subnets
    dep = present[("Deployment", "kube-system", "kube-ovn-controller")]
    container = dep["spec"]["template"]["spec"]["containers"][0]
    running = {"triage-gc-lines": ":v1.14.2"}.get(name, ":v1.13.4")  # the release whose log lines it replays
    assert container["name"] == "kube-ovn-controller" and container["image"].endswith(running)
    controller_pods = [
        p for p in by_kind(sc, "Pod").values() if p["metadata"]["name"].startswith("kube-ovn-controller-")
    ]
    assert controller_pods and all(
        c["image"] == container["image"]
        for p in controller_pods
        for c in p["spec"]["containers"]
        if c["name"] == "kube-ovn-controller"
    )
    assert "--keep-vm-ip=true" in container["args"] and "--enable-external-vpc=true" in container["args"]
    pods = by_kind(sc, "Pod")
    central = [p for p in pods.values() if p["metadata"].get("labels", {}).get("app") == "ovn-central"]
    assert len(central) == 1
    labels = central[0]["metadata"]["labels"]
    assert labels["ovn-nb-leader"] == labels["ovn-sb-leader"] == labels["ovn-northd-leader"] == "true"
    assert central[0]["spec"]["containers"][0]["name"] == "ovn-central"
    for pod in pods.values():
        status = pod["status"]
        if status["phase"] == "Pending" and name in FIELD_CASES:  # the reported state: a pod that cannot start
            continue
        assert status["phase"] == "Running" and status["podIP"] and status["hostIP"] and pod["spec"]["nodeName"]
        assert all(c["ready"] for c in status["containerStatuses"])
        assert {"type": "Ready", "status": "True"}.items() <= next(
            c for c in status["conditions"] if c["type"] == "Ready"
        ).items()
    assert set(by_kind(sc, "Node")) >= {"node1", "node2"}
    subnets = by_kind(sc, "Subnet")
    assert (
        subnets["ovn-default"]["spec"]["cidrBlock"] == "10.16.0.0/16"
        and subnets["join"]["spec"]["cidrBlock"] == "100.64.0.0/16"
    )
    for nad in by_kind(sc, "NetworkAttachmentDefinition").values():
        json.loads(nad["spec"]["config"])
    # every pod/VM port has an IP CR of the same name, and every port's switch exists under its ls
    ips = by_kind(sc, "IP")
    for sw in sc.nb_switches:
        for p in sw.ports:
            if p.type == "" and p.name not in BROKEN_PORTS.get(name, set()):
                assert p.name in ips and p.external_ids["ls"] == sw.name and p.external_ids["vendor"] == "kube-ovn"
    # launcher pods carry the KubeVirt labels pointing at their VMI
    vmis = by_kind(sc, "VirtualMachineInstance")
    for pod in pods.values():
        labels = pod["metadata"].get("labels", {})
        if labels.get("kubevirt.io") == "virt-launcher":
            vmi = vmis[labels["vm.kubevirt.io/name"]]
            assert labels["kubevirt.io/created-by"] == vmi["metadata"]["uid"]


def test_tc1_plain_pod() -> None:
    sc = load_scenario("tc1")
    assert pod_ports(sc) == {"web-5f7c.app"}
    port = ports(sc)["web-5f7c.app"]
    assert port.external_ids == {"vendor": "kube-ovn", "ls": "ovn-default", "pod": "app/web-5f7c"}
    assert port.addresses == ["00:00:00:5A:1B:2C 10.16.0.12"] and port.type == "" and port.options == {}


def test_tc2_kube_ovn_attachment() -> None:
    sc = load_scenario("tc2")
    assert pod_ports(sc) == {"p1.default", "p1.default.attachnet.default.ovn"}
    assert ports(sc)["p1.default.attachnet.default.ovn"].external_ids["ls"] == "attach-subnet"


def test_tc3_macvlan_ipam_has_no_port() -> None:
    sc = load_scenario("tc3")
    assert pod_ports(sc) == {"p2.default"}
    assert "macvlan-subnet" not in {sw.name for sw in sc.nb_switches}
    assert "p2.default.macvlan.default" in by_kind(sc, "IP")  # IPAM-only: IP CR but no LSP


def test_tc4_reported_bug() -> None:
    sc = load_scenario("tc4", now=datetime(2026, 11, 27, 11, 0, tzinfo=timezone.utc))  # at authoredAt: as written
    assert pod_ports(sc) == {"vm-a.test-ns.subnet-a.test-ns.ovn"}
    assert "vm-a.test-ns" not in ports(sc)
    port = ports(sc)["vm-a.test-ns.subnet-a.test-ns.ovn"]
    assert port.external_ids == {"vendor": "kube-ovn", "ls": "subnet-a", "pod": "test-ns/vm-a"}
    vm = by_kind(sc, "VirtualMachine")["vm-a"]
    assert vm["spec"]["template"]["spec"]["networks"] == [
        {"name": "default", "multus": {"default": True, "networkName": "subnet-a"}}
    ]
    log = sc.logs["kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp"]
    lost = [line for line in log.splitlines() if "gc.go:430] lsp lost for pod vm-a.test-ns," in line]
    assert len(lost) >= 5 and lost[2].startswith("E1127 10:06:00.123456       1 gc.go:430]")


def test_tc5_running_and_stopped_vm() -> None:
    sc = load_scenario("tc5")
    assert pod_ports(sc) == {"vm1.vmns", "vm1.vmns.nad-a.vmns.ovn", "vm2.vmns", "vm2.vmns.nad-a.vmns.ovn"}
    vms = by_kind(sc, "VirtualMachine")
    assert vms["vm2"]["spec"]["runStrategy"] == "Halted" and vms["vm2"]["status"]["printableStatus"] == "Stopped"
    assert "vm2" not in by_kind(sc, "VirtualMachineInstance")
    assert by_kind(sc, "IP")["vm2.vmns"]["spec"]["podType"] == "VirtualMachine"


def test_tc8_migration_one_port_with_options() -> None:
    sc = load_scenario("tc8")
    assert pod_ports(sc) == {"vm4.vmns"}
    assert ports(sc)["vm4.vmns"].options == {"requested-chassis": "node1,node2", "activation-strategy": "rarp"}
    launchers = [p for p in by_kind(sc, "Pod") if p.startswith("virt-launcher-vm4-")]
    assert sorted(launchers) == ["virt-launcher-vm4-aaaaa", "virt-launcher-vm4-bbbbb"]


def test_tc8_after_success_and_keep_vm_ip_false() -> None:
    sc = load_scenario("tc8")
    objs = sc.objects
    by_kind(sc, "VirtualMachineInstanceMigration")["kubevirt-migrate-vm-8kq2n"]["status"]["phase"] = "Succeeded"
    src = by_kind(sc, "Pod")["virt-launcher-vm4-aaaaa"]
    src["status"]["phase"] = "Succeeded"
    done = {p.name: p for sw in derive_nb.derive_switches(objs) for p in sw.ports}
    assert done["vm4.vmns"].options == {"requested-chassis": "node2"}
    src["status"]["phase"] = "Running"
    by_name = {p.name: p for sw in derive_nb.derive_switches(objs, keep_vm_ip=False) for p in sw.ports}
    assert {"virt-launcher-vm4-aaaaa.vmns", "virt-launcher-vm4-bbbbb.vmns"} <= set(
        by_name
    ) and "vm4.vmns" not in by_name
    assert by_name["virt-launcher-vm4-bbbbb.vmns"].options == {}  # options follow external_ids:pod=<ns>/<vmi> only


def test_tc14_node_port_omitted() -> None:
    sc = load_scenario("tc14")
    assert "node-node1" in ports(sc) and "node-node2" not in ports(sc)
    assert ports(sc)["node-node1"].external_ids == {"ls": "join", "vendor": "kube-ovn"}
    assert "node-node2" in by_kind(sc, "IP")  # the node's IP CR stays; only the LSP is lost


def test_keep_vm_ip_from_args_and_default() -> None:
    sc = load_scenario("tc4")
    assert derive_nb.keep_vm_ip_from(sc.objects) is True
    dep = next(o for o in sc.objects if o["kind"] == "Deployment" and o["metadata"]["name"] == "kube-ovn-controller")
    args = dep["spec"]["template"]["spec"]["containers"][0]["args"]
    args[args.index("--keep-vm-ip=true")] = "--keep-vm-ip=false"
    assert derive_nb.keep_vm_ip_from(sc.objects) is False
    names = {p.name for sw in derive_nb.derive_switches(sc.objects) for p in sw.ports}
    assert "virt-launcher-vm-a-7xk2p.test-ns.subnet-a.test-ns.ovn" in names
    assert derive_nb.keep_vm_ip_from([]) is True


def test_dual_stack_and_dead_pods() -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "d",
            "namespace": "ns",
            "annotations": {
                "ovn.kubernetes.io/allocated": "true",
                "ovn.kubernetes.io/logical_switch": "ovn-default",
                "ovn.kubernetes.io/ip_address": "10.16.0.9,fd00:10:16::9",
                "ovn.kubernetes.io/mac_address": "00:00:00:01:02:03",
            },
        },
        "spec": {"restartPolicy": "Never"},
        "status": {"phase": "Running"},
    }
    subnet = {
        "apiVersion": "kubeovn.io/v1",
        "kind": "Subnet",
        "metadata": {"name": "ovn-default"},
        "spec": {"provider": "ovn", "cidrBlock": "10.16.0.0/16,fd00:10:16::/112"},
    }
    sws = derive_nb.derive_switches([subnet, pod])
    port = next(p for p in sws[0].ports if p.name == "d.ns")
    assert port.addresses == ["00:00:00:01:02:03 10.16.0.9 fd00:10:16::9"]
    assert sws[0].other_config == {"subnet": "10.16.0.0/16", "ipv6_prefix": "fd00:10:16::"}
    pod["status"]["phase"] = "Succeeded"
    assert not any(p.name == "d.ns" for sw in derive_nb.derive_switches([subnet, pod]) for p in sw.ports)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_scenario_file_include_omit_and_explicit_ports(tmp_path: Path) -> None:
    _write(
        tmp_path / "mine.yaml",
        yaml.safe_dump(
            {
                "name": "mine",
                "include": ["tc1"],
                "objects": [
                    {
                        "apiVersion": "v1",
                        "kind": "Namespace",
                        "metadata": {"name": "app", "uid": "x", "managedFields": [{}]},
                    }
                ],
                "forbidden": [{"verb": "list", "resource": "virtualmachines", "group": "kubevirt.io"}],
                "nb": {
                    "omit": ["web-5f7c.app"],
                    "switches": [
                        {
                            "name": "ovn-default",
                            "ports": [
                                {
                                    "name": "node-node1",
                                    "addresses": ["00:00:00:3E:9A:41 100.64.0.2"],
                                    "external_ids": {"ls": "ovn-default"},
                                }
                            ],
                        }
                    ],
                },
            }
        ),
    )
    sc = load_scenario(tmp_path / "mine.yaml")
    assert sc.name == "mine"
    ns = next(o for o in sc.objects if object_key(o) == ("v1", "Namespace", "", "app"))
    assert ns["metadata"] == {"name": "app", "uid": "x"}  # later wins, managedFields stripped
    assert "web-5f7c.app" not in ports(sc) and "web-5f7c.app" in by_kind(sc, "IP")
    moved = [sw.name for sw in sc.nb_switches for p in sw.ports if p.name == "node-node1"]
    assert moved == ["ovn-default"] and ports(sc)["node-node1"].external_ids == {"ls": "ovn-default"}
    assert sc.forbidden[0].resource == "virtualmachines" and sc.forbidden[0].name == ""
    assert sc.logs  # inherited from base through tc1


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"name": "x", "objectz": []}, "unknown key(s) objectz"),
        ({"name": "x", "objects": [{"kind": "Pod", "metadata": {"name": "a"}}]}, "objects[0]: missing apiVersion"),
        ({"name": "x", "objects": [{"apiVersion": "v1", "kind": "Pod", "metadata": {}}]}, "Pod without metadata.name"),
        ({"name": "x", "logs": {"pod-only": "t"}}, "logs key 'pod-only'"),
        ({"name": "x", "include": ["base"], "nb": {"derive": True, "omit": ["nope.ns"]}}, "not derived: nope.ns"),
        ({"name": "x", "include": ["no-such"]}, "no such file or shipped scenario"),
        ({"name": "x", "nb": {"switches": [{"ports": []}]}}, "nb.switches[0]: a switch needs name"),
    ],
)
def test_scenario_errors_are_one_line(tmp_path: Path, doc: dict, message: str) -> None:
    path = _write(tmp_path / "bad.yaml", yaml.safe_dump(doc))
    with pytest.raises(ValueError) as err:
        load_scenario(path)
    assert message in str(err.value) and str(path) in str(err.value) and "\n" not in str(err.value)


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.yaml", "name: x\nobjects: [\n")
    with pytest.raises(ValueError, match=r"bad.yaml: cannot read scenario: line \d+"):
        load_scenario(path)


def test_include_cycle(tmp_path: Path) -> None:
    _write(tmp_path / "a.yaml", "name: a\ninclude: [b]\n")
    _write(tmp_path / "b.yaml", "name: b\ninclude: [a]\n")
    with pytest.raises(ValueError, match="include cycle"):
        load_scenario(tmp_path / "a.yaml")


NB_BACKUP = 'OVSDB JSON 1234 0123456789abcdef0123456789abcdef01234567\n{"name":"OVN_Northbound","version":"7.0.0"}\n'


def _dump(tmp_path: Path) -> Path:
    sc = load_scenario("tc4")
    groups: dict[str, list] = {}
    for o in sc.objects:
        o = json.loads(json.dumps(o))
        o["metadata"]["managedFields"] = [{"manager": "kubectl"}]
        groups.setdefault(o["kind"], []).append(o)
    d = tmp_path / "case-5087"
    pods = groups.pop("Pod")
    _write(
        d / "pods.yaml",
        yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": pods, "metadata": {"resourceVersion": ""}}),
    )
    vms = groups.pop("VirtualMachine")
    _write(
        d / "kubevirt" / "vms.json",
        json.dumps(
            {
                "apiVersion": "kubevirt.io/v1",
                "kind": "VirtualMachineList",
                "items": [{k: v for k, v in vm.items() if k not in ("kind", "apiVersion")} for vm in vms],
            }
        ),
    )
    rest = [o for objs in groups.values() for o in objs]
    _write(d / "rest.yml", "---\n".join(yaml.safe_dump(o) for o in rest))
    _write(d / "ovnnb_db.db", NB_BACKUP)
    _write(
        d / "logs" / "kube-system_kube-ovn-controller-5d8f7c9b6-x2lqp.log",
        sc.logs["kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp"],
    )
    _write(d / "logs" / "test-ns_virt-launcher-vm-a-7xk2p_compute.log", '{"msg":"domain started"}\n')
    return d


def test_load_dump_dir(tmp_path: Path) -> None:
    d = _dump(tmp_path)
    sc = load_dump_dir(d)
    orig = load_scenario("tc4")
    assert sc.name == "case-5087" and sc.nb_database_file == d / "ovnnb_db.db" and sc.nb_switches == []
    assert sorted(map(object_key, sc.objects)) == sorted(map(object_key, orig.objects))
    assert all("managedFields" not in o["metadata"] for o in sc.objects)
    vm = next(o for o in sc.objects if o["kind"] == "VirtualMachine")
    assert vm["apiVersion"] == "kubevirt.io/v1"  # raw API list items get kind/apiVersion from the List
    assert "gc.go:430" in sc.logs["kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp"]
    assert "test-ns/virt-launcher-vm-a-7xk2p/compute" in sc.logs


def test_dump_dir_nb_detected_by_header(tmp_path: Path) -> None:
    d = _dump(tmp_path)
    (d / "ovnnb_db.db").rename(d / "nb-backup")
    assert load_dump_dir(d).nb_database_file == d / "nb-backup"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: (d / "ovnnb_db.db").unlink(), "expected exactly one NB database file"),
        (lambda d: _write(d / "second.db", NB_BACKUP), "expected exactly one NB database file"),
        (lambda d: (d / "ovnnb_db.db").write_text("OVSDB CLUSTER 1 abc\n{}\n"), "clustered NB database"),
        (lambda d: _write(d / "broken.yaml", "a: [\n"), "broken.yaml: not valid YAML: line"),
        (lambda d: _write(d / "x.yaml", "- 1\n- 2\n"), "x.yaml: document 0: expected a Kubernetes object or List"),
        (lambda d: _write(d / "logs" / "nounderscore.log", ""), "nounderscore.log: log file name must be"),
    ],
)
def test_dump_dir_errors(tmp_path: Path, mutate, message: str) -> None:
    d = _dump(tmp_path)
    mutate(d)
    with pytest.raises(ValueError) as err:
        load_dump_dir(d)
    assert message in str(err.value) and "\n" not in str(err.value)


ROUTERS = {("join-ovn-cluster", "", "join", "router"), ("ovn-default-ovn-cluster", "", "ovn-default", "router")}
NODES = {("node-node1", "", "join", ""), ("node-node2", "", "join", "")}
DERIVED = {  # (port, external_ids:pod, switch, type) of every shipped scenario's NB, written out from Kube-OVN's naming
    # (PodNameToPortName: <owner>.<ns>[.<provider>], owner the VM under keep-vm-ip; node-<node> on join; the
    # <switch>-<router> port of each subnet): the sandbox derives NB with the plugin's own naming, so the e2e
    # expectations would follow a naming mistake; this literal table does not.
    "tc1": ROUTERS | NODES | {("web-5f7c.app", "app/web-5f7c", "ovn-default", "")},
    "tc2": ROUTERS
    | NODES
    | {
        ("attach-subnet-ovn-cluster", "", "attach-subnet", "router"),
        ("p1.default", "default/p1", "ovn-default", ""),
        ("p1.default.attachnet.default.ovn", "default/p1", "attach-subnet", ""),
    },
    "tc3": ROUTERS | NODES | {("p2.default", "default/p2", "ovn-default", "")},
    "tc4": ROUTERS
    | NODES
    | {
        ("subnet-a-ovn-cluster", "", "subnet-a", "router"),
        ("vm-a.test-ns.subnet-a.test-ns.ovn", "test-ns/vm-a", "subnet-a", ""),
    },
    "tc5": ROUTERS
    | NODES
    | {
        ("vmns-nad-a-ovn-cluster", "", "vmns-nad-a", "router"),
        ("vm1.vmns", "vmns/vm1", "ovn-default", ""),
        ("vm1.vmns.nad-a.vmns.ovn", "vmns/vm1", "vmns-nad-a", ""),
        ("vm2.vmns", "vmns/vm2", "ovn-default", ""),
        ("vm2.vmns.nad-a.vmns.ovn", "vmns/vm2", "vmns-nad-a", ""),
    },
    "tc8": ROUTERS | NODES | {("vm4.vmns", "vmns/vm4", "ovn-default", "")},
    "tc14": ROUTERS | {("node-node1", "", "join", "")},
    "node-port-missing": ROUTERS | {("node-node1", "", "join", "")},
    "nonprimary-vm-migration": ROUTERS
    | NODES
    | {("sub-b-ovn-cluster", "", "sub-b", "router"), ("vmv.fns.net-b.fns.ovn", "fns/vmv", "sub-b", "")},
    "sts-zombie-port": ROUTERS | NODES | {("db-0.fdb", "fdb/db-0", "ovn-default", "")},
    "triage-gc-lines": ROUTERS
    | NODES
    | {("nad-x-ovn-cluster", "", "nad-x", "router"), ("vm-stopped.app", "app/vm-stopped", "ovn-default", "")},
    "vm-recreated-other-subnet": ROUTERS  # the old port stays on sub-1; the new pod's sub-2 has none (#3424)
    | NODES
    | {
        ("sub-1-ovn-cluster", "", "sub-1", "router"),
        ("sub-2-ovn-cluster", "", "sub-2", "router"),
        ("vm1.demo", "demo/vm1", "sub-1", ""),
    },
    "node-port-stale-address": ROUTERS | NODES,  # node-node2 present with its first allocation (#5172)
    "ipam-only-ip-leak": ROUTERS | NODES,  # an IPAM-only attachment has no port, only its leaked IP CR (#6943)
    "gc-noop-port-without-ls": ROUTERS
    | NODES
    | {("acp-daemonset-m5wc5.e2eproject", "e2eproject/acp-daemonset-m5wc5", "ovn-default", "")},
    "gc-stalled-port-without-ls": ROUTERS
    | NODES
    | {
        ("acp-app-import-6ql4r.e2eproject", "e2eproject/acp-app-import-6ql4r", "ovn-default", ""),
        ("old-db-1.app", "app/old-db-1", "ovn-default", ""),
    },
    "migration-setup-skipped": ROUTERS | NODES | {("vmx.demo", "demo/vmx", "ovn-default", "")},
    "vm-deleted-orphan-ports": ROUTERS
    | NODES
    | {
        ("sub-b-ovn-cluster", "", "sub-b", "router"),
        ("vmd.fns", "fns/vmd", "ovn-default", ""),
        ("vmd.fns.net-b.fns.ovn", "fns/vmd", "sub-b", ""),
    },
}


@pytest.mark.parametrize("name", sorted(DERIVED))
def test_every_shipped_nb_as_kube_ovn_names_it(name: str) -> None:
    sc = load_scenario(name)
    found = {(p.name, p.external_ids.get("pod", ""), sw.name, p.type) for sw in sc.nb_switches for p in sw.ports}
    assert found == DERIVED[name]


def test_every_shipped_scenario_has_its_nb_written_out() -> None:
    assert set(DERIVED) == {name for name, _ in list_shipped()}
