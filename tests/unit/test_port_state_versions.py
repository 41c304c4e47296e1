"""Issue #10 in the model: migration options per release (both sides of every boundary), the StatefulSet leftover,
every deletion-risk with a reason code, facts that must reach the text (notes), version honesty and byRelease."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest
from factories import (
    allocated,
    launcher,
    multus_net,
    nad,
    nb_port,
    pod,
    port,
    settings,
    snapshot,
    statefulset,
    sts_owner_ref,
    subnet,
    verdicts,
    vm,
)
from scenarios import tc4, tc5, tc8

from kubectl_ovn_lsp.commands.documents import release_verdict
from kubectl_ovn_lsp.model.by_release import by_release
from kubectl_ovn_lsp.model.judge import judge
from kubectl_ovn_lsp.model.migration import Shape, shape_of
from kubectl_ovn_lsp.model.reasons import BY_CODE
from kubectl_ovn_lsp.model.releases import known_releases, resolve
from kubectl_ovn_lsp.model.settings import settings_from_deployment
from kubectl_ovn_lsp.model.verdicts import exit_code
from kubectl_ovn_lsp.model.versions import Version, parse_version

NET_B = "net-b.fns.ovn"
ATTACH = f"vmv.fns.{NET_B}"


def migrating_vm(
    options: dict | None = None,
    *,
    primary: bool = False,
    started: bool = False,
    target_node: str = "node2",
    target_node_label: str | None = None,
):
    """harvester#10154 in small: VM fns/vmv, only Kube-OVN NIC the attachment net-b, a migration node1 -> node2.
    `primary`: the VM also has the pod network (port vmv.fns)."""
    nets = [multus_net("nic1", "fns/net-b")] + ([{"name": "default", "pod": {}}] if primary else [])
    v = vm("vmv", "fns", nets)
    ann = {
        "k8s.v1.cni.cncf.io/networks": json.dumps(
            [{"interface": "pod0a1b2c3d4e5", "name": "net-b", "namespace": "fns"}]
        ),
        **allocated(NET_B, "sub-b", "172.30.0.51", mac="00:00:00:AA:05:01"),
        f"{NET_B}.kubernetes.io/virtualmachine": "vmv",
    }
    if primary:
        ann.update({**allocated("ovn", "ovn-default"), "ovn.kubernetes.io/virtualmachine": "vmv"})
    src = launcher("vmv", "fns", ann, suffix="aaaaa", node="node1")
    labels = {"kubevirt.io/migrationJobUID": "uid-mig"}
    if target_node_label is not None:
        labels["kubevirt.io/nodeName"] = target_node_label
    dst = launcher(
        "vmv",
        "fns",
        {**ann, "kubevirt.io/migrationJobName": "mig-vmv"},
        suffix="bbbbb",
        node=target_node,
        labels=labels,
        phase="Pending",
    )
    state = {"sourceNode": "node1", "targetNode": target_node, "targetPod": dst["metadata"]["name"]}
    if started:
        state["startTimestamp"] = "2026-11-27T09:59:00Z"
    vmi_obj = {
        "apiVersion": "kubevirt.io/v1",
        "kind": "VirtualMachineInstance",
        "metadata": {"name": "vmv", "namespace": "fns"},
        "status": {"phase": "Running", "nodeName": "node1", "migrationState": state},
    }
    opts = {"requested-chassis": "node1"} if options is None else options
    nb = [nb_port(ATTACH, "fns", "vmv", "sub-b", address="00:00:00:aa:05:01 172.30.0.51", options=opts)]
    if primary:
        nb.append(nb_port("vmv.fns", "fns", "vmv", options=opts))
    return snapshot(
        "fns",
        "VirtualMachine",
        "vmv",
        pods=[src, dst],
        vm_obj=v,
        vmi_obj=vmi_obj,
        nads=[nad("net-b", "fns")],
        subnets=[subnet("sub-b", NET_B, "172.30.0.0/24")],
        nb=nb,
    )


def at(version: str, **kw):
    return settings(version, keep_vm_ip=True, **kw)


# ---------------------------------------------------------------- 1. migration options (degraded)


def test_reported_case_v1_15_4_attachment_port_is_degraded_mig1():
    j = judge(migrating_vm(), at("v1.15.4", non_primary_cni_mode=True))
    assert verdicts(j) == {"vmv.fns": ("false-positive", "FP5"), ATTACH: ("degraded", "MIG1")}
    assert j.verdict == "degraded" and exit_code(j.verdict) == 6
    assert "only on vmv.fns" in port(j, ATTACH).detail
    assert any("6241" in a for a in j.advice) and any("FP5" not in a for a in j.advice)


@pytest.mark.parametrize(
    "version,shape",
    [
        ("v1.12.28", Shape.NONE),
        ("v1.12.29", Shape.POD_ANNOTATIONS),
        ("v1.11.24", Shape.NONE),
        ("v1.13.0", Shape.POD_ANNOTATIONS),
        ("v1.13.2", Shape.POD_ANNOTATIONS),
        ("v1.13.3", Shape.HANDLER_NONE),
        ("v1.13.14", Shape.HANDLER_NONE),
        ("v1.13.15", Shape.HANDLER_ALL_NETS),
        ("v1.14.0", Shape.HANDLER_ALL_NETS),
        ("v1.14.12", Shape.HANDLER_ALL_NETS),
        ("v1.14.13", Shape.TARGET_POD),
        ("v1.14.20", Shape.TARGET_POD),
        ("v1.14.21", Shape.PRIMARY_ONLY),
        ("v1.14.41", Shape.PRIMARY_ONLY),
        ("v1.15.0", Shape.PRIMARY_ONLY),
        ("v1.15.8", Shape.PRIMARY_ONLY),
        ("v1.15.9", Shape.ALL_VM_PORTS),
        ("v1.16.0", Shape.ALL_VM_PORTS),
        ("v1.17.0", Shape.ALL_VM_PORTS),
    ],
)
def test_migration_shape_per_release(version, shape):
    assert shape_of(at(version).behaviour) is shape


@pytest.mark.parametrize(
    "version,expected",
    [
        ("v1.14.20", ("ok", None)),  # pod.go path: the target pod's nodeName label is missing, it sets nothing
        ("v1.14.21", ("degraded", "MIG1")),
        ("v1.15.8", ("degraded", "MIG1")),
        ("v1.15.9", ("degraded", "MIG4")),  # #6823: the skip that is never retried, until v1.15.14 (#6834)
        ("v1.15.14", ("degraded", "MIG3")),
        ("v1.16.0", ("degraded", "MIG4")),
        ("v1.16.2", ("degraded", "MIG4")),
        ("v1.13.14", ("degraded", "MIG2")),
        ("v1.13.15", ("ok", None)),
        ("v1.14.0", ("ok", None)),
        ("v1.12.35", ("ok", None)),
    ],
)
def test_attachment_port_without_options_per_release(version, expected):
    """Not started (phase Scheduling): v1.13.15–v1.14.12 set them only once Running, so their absence is fine."""
    assert verdicts(judge(migrating_vm(), at(version)))[ATTACH] == expected


@pytest.mark.parametrize(
    "version,expected",
    [("v1.13.14", ("degraded", "MIG2")), ("v1.13.15", ("degraded", "MIG3")), ("v1.14.12", ("degraded", "MIG3"))],
)
def test_running_phase_releases_expect_the_options_once_started(version, expected):
    assert verdicts(judge(migrating_vm(started=True), at(version)))[ATTACH] == expected


@pytest.mark.parametrize("label,expected", [("node1", ("degraded", "MIG3")), ("node2", ("ok", None))])
def test_v1_14_13_sets_them_only_when_the_target_pod_label_names_the_source(label, expected):
    assert verdicts(judge(migrating_vm(target_node_label=label), at("v1.14.15")))[ATTACH] == expected


@pytest.mark.parametrize(
    "version,primary,attach",
    [
        ("v1.15.8", ("degraded", "MIG4"), ("degraded", "MIG1")),
        ("v1.15.9", ("degraded", "MIG4"), ("degraded", "MIG4")),
        ("v1.15.14", ("degraded", "MIG3"), ("degraded", "MIG3")),
    ],
)
def test_primary_port_is_covered_from_v1_14_21_attachments_from_v1_15_9(version, primary, attach):
    j = judge(migrating_vm(primary=True), at(version))
    assert verdicts(j)["vmv.fns"] == primary and verdicts(j)[ATTACH] == attach


def test_ports_with_the_options_are_ok_in_every_release():
    opts = {"requested-chassis": "node1,node2", "activation-strategy": "rarp"}
    for version in ("v1.12.6", "v1.13.4", "v1.15.4", "v1.16.2"):
        p = port(judge(migrating_vm(opts), at(version)), ATTACH)
        assert (p.verdict, p.reason) == ("ok", None) and "requested-chassis=node1,node2" in p.detail


def test_target_not_scheduled_yet_is_not_expected():
    assert verdicts(judge(migrating_vm(target_node=""), at("v1.16.0")))[ATTACH] == ("ok", None)


def test_tc8_keeps_its_answer_and_detail():
    j = judge(tc8(), at("v1.13.4"))
    assert verdicts(j) == {"vm4.vmns": ("ok", None)} and "requested-chassis=node1,node2" in j.ports[0].detail


def test_no_migration_no_check():
    j = judge(replace(migrating_vm(), pods=migrating_vm().pods[:1], vmi=None), at("v1.15.4"))
    assert verdicts(j)[ATTACH] == ("ok", None) and port(j, ATTACH).detail == "present"


def test_completed_migration_state_alone_is_no_migration():
    snap = migrating_vm()
    vmi_obj = {
        **snap.vmi,
        "status": {
            **snap.vmi["status"],  # type: ignore[index]
            "migrationState": {"completed": True, "sourceNode": "node1"},
        },
    }
    j = judge(replace(snap, pods=snap.pods[:1], vmi=vmi_obj), at("v1.15.4"))
    assert verdicts(j)[ATTACH] == ("ok", None)


# ---------------------------------------------------------------- 2. StatefulSet leftover (stale)


def sts_zombie(**pod_kw):
    p = pod("db-0", "fdb", {}, owners=[sts_owner_ref("db")], phase="Pending", node="node2", **pod_kw)
    return snapshot(
        "fdb",
        "Pod",
        "db-0",
        pods=[p],
        statefulsets={("fdb", "db"): statefulset("db", "fdb", 1)},
        nb=[nb_port("db-0.fdb", "fdb", "db-0", address="00:00:00:aa:04:01 10.16.0.141")],
    )


@pytest.mark.parametrize(
    "version,warns_4011,warns_3778",
    [
        ("v1.12.4", False, False),
        ("v1.12.5", True, True),
        ("v1.12.6", True, True),
        ("v1.12.7", True, False),
        ("v1.12.14", True, False),
        ("v1.12.15", False, False),
        ("v1.13.0", False, False),
        ("v1.11.24", False, False),
    ],
)
def test_sts_leftover_is_stale_and_in_would_delete(version, warns_4011, warns_3778):
    j = judge(sts_zombie(), settings(version))
    assert verdicts(j) == {"db-0.fdb": ("stale", None)} and j.would_delete == ("db-0.fdb",)
    assert j.verdict == "ok" and exit_code(j.verdict) == 0
    detail = j.ports[0].detail
    assert "leftover" in detail and "10.16.0.141" in detail
    assert "if the pod is allocated first" in detail and "if that comes first" in detail
    assert ("#4011" in detail) is warns_4011 and ("#3778" in detail) is warns_3778
    assert ("v1.12.0–v1.12.4 update nothing" in detail) is (version == "v1.12.4")
    assert "deletes only db-0.fdb" in j.advice[0]


def test_port_matching_the_requested_address_is_being_created():
    j = judge(sts_zombie(), settings("v1.12.6"))
    snap = sts_zombie()
    p = snap.pods[0]
    p["metadata"]["annotations"]["ovn.kubernetes.io/ip_address"] = "10.16.0.141"
    assert "probably creating it" in judge(snap, settings("v1.12.6")).ports[0].detail
    assert "leftover" in j.ports[0].detail


@pytest.mark.parametrize("version", ["v1.8.1", "v1.12.6", "v1.13.4", "v1.14.2", "v1.15.4", "v1.16.2", "master"])
@pytest.mark.parametrize("case", ["sts", "tc5-stopped", "tc4", "tc2-extra"])
def test_would_delete_ports_are_stale_or_deletion_risk(version, case):
    snap = {"sts": sts_zombie(), "tc5-stopped": tc5(running=False), "tc4": tc4()}.get(case) or tc5()
    j = judge(snap, settings(version, keep_vm_ip=True))
    for name in j.would_delete:
        assert port(j, name).verdict in ("stale", "deletion-risk"), (name, port(j, name))


# ---------------------------------------------------------------- 3. every deletion-risk has a code; notes


@pytest.mark.parametrize(
    "version,code",
    [
        ("v1.8.6", "DEL5"),
        ("v1.9.3", "DEL5"),
        ("v1.9.4", "DEL6"),
        ("v1.10.0", "DEL5"),
        ("v1.10.1", "DEL6"),
        ("v1.11.3", "DEL6"),
        ("v1.11.24", "DEL6"),
        ("v1.12.2", "DEL1"),
        ("v1.14.2", "DEL2"),
    ],
)
def test_stopped_vm_deletion_risks_have_codes(version, code):
    j = judge(tc5(running=False), at(version))
    risks = {p.name: p.reason for p in j.ports if p.verdict == "deletion-risk"}
    assert risks and set(risks.values()) == {code}, risks
    assert all(BY_CODE[c].verdict == "deletion-risk" for c in risks.values())


@pytest.mark.parametrize("version", ["v1.8.3", "v1.9.3", "v1.10.0", "v1.11.3", "v1.12.2", "v1.13.6", "v1.14.2"])
def test_no_deletion_risk_without_a_code(version):
    for snap in (tc5(running=False), tc4(running=False), sts_zombie()):
        for p in judge(snap, at(version)).ports:
            assert p.verdict != "deletion-risk" or p.reason in BY_CODE


def missing_subnet_pod(in_nb: bool):
    p = pod("web-1", "app", allocated("ovn", "gone-subnet"))
    nb = [nb_port("web-1.app", "app", "web-1", "gone-subnet")] if in_nb else []
    return snapshot("app", "Pod", "web-1", pods=[p], nb=nb)


def test_pod_on_a_missing_subnet_is_lost_and_the_advice_names_it():
    j = judge(missing_subnet_pod(False), settings("v1.13.4"))
    assert verdicts(j) == {"web-1.app": ("lost", "LOST1")}
    assert "gone-subnet" in j.ports[0].detail and any("Subnet gone-subnet" in a for a in j.advice)


def test_port_of_a_pod_on_a_missing_subnet_is_deleted_del8():
    j = judge(missing_subnet_pod(True), settings("v1.13.4"))
    assert verdicts(j) == {"web-1.app": ("deletion-risk", "DEL8")}
    assert any("Subnet gone-subnet" in a for a in j.advice)


def test_hostnetwork_pod_says_why_it_has_no_ports():
    j = judge(snapshot("app", "Pod", "h", pods=[pod("h", "app", host_network=True)]), settings("v1.15.0"))
    assert j.ports == () and any("hostNetwork" in n for n in j.notes)


def test_running_pod_without_allocation_keeps_its_fact_in_the_detail():
    j = judge(snapshot("app", "Pod", "r", pods=[pod("r", "app", {})]), settings("v1.13.4"))
    assert verdicts(j) == {"r.app": ("ok", None)} and "not allocated for it yet" in j.ports[0].detail


# ---------------------------------------------------------------- 4. version honesty, byRelease


@pytest.mark.parametrize(
    "text,version,head,assumed,behaviour_of",
    [
        ("v1.13.4", "v1.13.4", False, False, "v1.13.4"),
        ("v1.13.4-x86", "v1.13.4", False, False, "v1.13.4"),  # the release's arch image
        ("v1.16.2", "v1.16.2", False, False, "v1.16.2"),
        ("v1.16.3", "v1.16.3", True, True, "v1.16.2 + release-1.16 head"),  # the rule for "newer than checked"
        ("v1.16.9", "v1.16.9", True, True, "v1.16.2 + release-1.16 head"),
        ("v1.16.3-x86", "v1.16.3", True, True, "v1.16.2 + release-1.16 head"),
        ("v1.17.0", "v1.17.0", True, True, "master 1533681d7"),
        ("v1.17.0-x86", "v1.17.0", True, True, "master 1533681d7"),
        ("v1.16.0-400-g1533681d7", "v1.17.0", True, False, "master 1533681d7"),
        ("v1.15.3-12-gabcdef012", "v1.15.3", False, True, "v1.15.3"),
        ("master", "v1.17.0", True, False, "master 1533681d7"),
    ],
)
def test_resolve_version_strings(text, version, head, assumed, behaviour_of):
    r = resolve(text)
    assert (str(r.version), r.head, r.assumed, r.behaviour_of) == (version, head, assumed, behaviour_of)
    assert (r.note is not None) is (assumed or "-g" in text)


@pytest.mark.parametrize("text", ["v1.6.0", "1.6.5", "v1.6.3-x86", "v1.6.0-12-gabcdef0", "v0.9.1"])
def test_a_release_older_than_every_checked_one_is_refused_not_replayed_as_master(text):
    """#18: v1.6.0 was replayed as master and called "newer than every checked release"."""
    r = resolve(text)
    assert (r.version, r.assumed, r.behaviour_of) == (None, False, None)
    assert r.refused == (
        "older than every release this plugin checked (v1.7.0–v1.16.2 and master): its GC was never read, so it "
        "cannot be replayed"
    )


def test_a_controller_older_than_every_checked_release_is_one_error_naming_the_way_out():
    from kubectl_ovn_lsp.model.errors import UncheckedRelease

    deployment = {"spec": {"template": {"spec": {"containers": [{"image": "kubeovn/kube-ovn:v1.6.2"}]}}}}
    with pytest.raises(UncheckedRelease) as raised:
        settings_from_deployment(deployment)
    assert str(raised.value) == (
        "the kube-ovn-controller Deployment runs v1.6.2, which is older than every release this plugin checked "
        "(v1.7.0–v1.16.2 and master): its GC was never read, so it cannot be replayed; pass --kube-ovn-version "
        "with a checked release to replay that one instead"
    )
    # the command line's checked release wins over the Deployment's unchecked one
    assert str(settings_from_deployment(deployment, {"version": "v1.7.0"}).version) == "v1.7.0"


def test_newer_than_checked_settings_say_so():
    s = settings_from_deployment(None, {"version": "v1.16.9"})
    assert s.band == "K" and s.version_assumed and s.behaviour_of == "v1.16.2 + release-1.16 head"
    assert any("v1.16.2" in n for n in s.notes)
    assert s.behaviour.ipam_by_nad_type and not settings("v1.16.2").behaviour.ipam_by_nad_type


def test_known_releases_cover_every_checked_tag():
    releases = known_releases()
    assert releases[0] == Version(1, 7, 0) and releases[-1] == Version(1, 17, 0) and len(releases) == len(set(releases))
    assert Version(1, 8, 10) not in releases and Version(1, 16, 2) in releases and Version(1, 16, 3) not in releases
    assert list(releases) == sorted(releases)


def test_by_release_tc4_and_the_fixing_release():
    table = by_release(tc4(), at("v1.13.4"))
    ranges = [release_verdict(r) for r in table.ranges]  # the byRelease entries of the document
    assert {
        "from": "v1.10.1",
        "to": "v1.13.5",
        "band": "D–F",
        "verdict": "false-positive",
        "reasons": ["FP1"],
    } in ranges
    assert ranges[-1] == {"from": "v1.13.6", "to": "master", "band": "G–L", "verdict": "ok", "reasons": []}
    assert table.fix is not None and "every release from v1.13.6" in table.fix
    assert table.judgements < len(known_releases()) / 3  # one judgement per distinct behaviour, not per tag


def test_by_release_names_the_branch_fix_first():
    table = by_release(tc5(running=False), at("v1.14.2"))
    assert table.fix is not None and "v1.14.5" in table.fix


def test_by_release_reported_migration_case():
    table = by_release(migrating_vm(), at("v1.15.4", non_primary_cni_mode=True))
    rows = {(r.first, r.last): (r.verdict, r.reasons) for r in table.ranges}
    assert rows[(parse_version("v1.15.0"), parse_version("v1.15.8"))] == ("degraded", ("FP5", "MIG1"))
    assert any(r.first == parse_version("v1.15.9") and r.reasons == ("FP5", "MIG4") for r in table.ranges)
    assert any(r.first == parse_version("v1.15.14") and r.reasons == ("FP5", "MIG3") for r in table.ranges)


def test_by_release_is_fast_and_merges_adjacent_equals():
    start = time.perf_counter()
    table = by_release(tc8(), at("v1.13.4"))
    assert time.perf_counter() - start < 2.0
    pairs = [(a.verdict, a.reasons) != (b.verdict, b.reasons) for a, b in zip(table.ranges, table.ranges[1:])]
    assert all(pairs)
