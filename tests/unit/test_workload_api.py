"""The entry points the explain command calls: nad_references, candidate_lookups, judge errors; TC8; purity."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest
from factories import NOW, allocated, launcher, multus_net, nad, pod, settings, snapshot, vm
from scenarios import tc2, tc5, tc8

from kubectl_ovn_lsp.model.errors import MalformedMultusAnnotation, MissingNad, ModelError
from kubectl_ovn_lsp.model.gc_lines import logs_at, releases
from kubectl_ovn_lsp.model.log_events import LOST
from kubectl_ovn_lsp.model.loglines import parse_line, scan
from kubectl_ovn_lsp.model.lookups import candidate_lookups, judge, nad_references
from kubectl_ovn_lsp.model.versions import parse_version


def test_tc8_live_migration_one_port_no_log():
    j = judge(tc8(), settings("v1.13.4", keep_vm_ip=True))
    assert j.verdict == "ok" and [p.name for p in j.ports] == ["vm4.vmns"]
    assert j.pods == ("virt-launcher-vm4-aaaaa", "virt-launcher-vm4-bbbbb") and j.port_owner == "vm4"
    assert j.message is None and "requested-chassis=node1,node2" in j.ports[0].detail


def test_tc8_without_keep_vm_ip_two_ports():
    j = judge(tc8(keep_vm_ip=False), settings("v1.13.4", keep_vm_ip=False))
    assert j.verdict == "ok"
    assert [p.name for p in j.ports] == ["virt-launcher-vm4-aaaaa.vmns", "virt-launcher-vm4-bbbbb.vmns"]
    assert j.port_owner == "virt-launcher-vm4-aaaaa"  # the migration source, not the target


def test_tc8_after_migration_source_succeeded_is_ignored():
    snap = tc8()
    src = dict(snap.pods[0], status={"phase": "Succeeded"}, spec={**snap.pods[0]["spec"], "restartPolicy": "Never"})
    j = judge(replace(snap, pods=(src, snap.pods[1])), settings("v1.14.0", keep_vm_ip=True))
    assert j.verdict == "ok"


def test_nad_references_pods_vm_spec_and_template():
    v = vm(
        "v",
        "vmns",
        [{"name": "default", "pod": {}}, multus_net("a", "nad-a"), multus_net("b", "other/nad-b")],
        template_annotations={"k8s.v1.cni.cncf.io/networks": "nad-c@eth3"},
    )
    p = launcher(
        "v",
        "vmns",
        {
            "k8s.v1.cni.cncf.io/networks": json.dumps([{"name": "nad-a", "namespace": "vmns"}]),
            "v1.multus-cni.io/default-network": "kube-system/def",
        },
    )
    assert nad_references([p], v, "vmns", settings("v1.14.0")) == [
        ("kube-system", "def"),
        ("other", "nad-b"),
        ("vmns", "nad-a"),
        ("vmns", "nad-c"),
    ]


def test_nad_references_malformed_pod_annotation_is_one_line_error():
    p = pod("p1", "default", {"k8s.v1.cni.cncf.io/networks": '{"name":"attachnet"}'})
    with pytest.raises(MalformedMultusAnnotation) as info:
        nad_references([p], None, "default", settings("v1.13.4"))
    message = str(info.value)
    assert "\n" not in message and "default/p1" in message and "k8s.v1.cni.cncf.io/networks" in message


def test_nad_references_malformed_vm_template_is_not_an_error():
    v = vm("v", "ns", template_annotations={"k8s.v1.cni.cncf.io/networks": "a/b/c"})
    assert nad_references([], v, "ns", settings("v1.14.0")) == []


def test_judge_missing_nad_is_one_line_error():
    snap = tc2()
    snap = replace(snap, nads={("default", "attachnet"): None})
    with pytest.raises(MissingNad) as info:
        judge(snap, settings("v1.13.4"))
    assert isinstance(info.value, ModelError)
    assert str(info.value) == (
        'network-attachment-definition "attachnet" not found in namespace "default" (referenced by pod default/p1)'
    )
    with pytest.raises(MissingNad):  # reported before any NB read
        candidate_lookups(snap, settings("v1.13.4"))


def test_judge_malformed_annotation_error():
    p = pod("p1", "default", {"k8s.v1.cni.cncf.io/networks": "a@b@c", **allocated("ovn", "ovn-default")})
    with pytest.raises(MalformedMultusAnnotation):
        judge(snapshot("default", "Pod", "p1", pods=[p]), settings("v1.16.2"))


def test_candidate_lookups_stopped_vm():
    names, keys = candidate_lookups(tc5(running=False), settings("v1.14.0", keep_vm_ip=True))
    assert names == ["vm1.vmns", "vm1.vmns.nad-a.vmns.ovn"] and keys == ["vmns/vm1"]


def test_ports_found_only_by_pod_key_are_listed_with_source_nb():
    snap = tc2(nb_names=("p1.default", "p1.default.attachnet.default.ovn", "p1.default.x.default.ovn"))
    j = judge(snap, settings("v1.14.5"))
    assert [p.sources for p in j.ports if p.name == "p1.default.x.default.ovn"] == [("nb",)]
    assert [p.name for p in j.ports] == sorted(p.name for p in j.ports)


def test_nad_config_provider_mismatch_does_not_change_naming():
    snap = tc2()
    snap = replace(snap, nads={("default", "attachnet"): nad("attachnet", "default", provider="wrong")})
    j = judge(snap, settings("v1.13.4"))
    assert j.verdict == "ok" and any("'wrong'" in n and "attachnet.default.ovn" in n for n in j.notes)
    assert not judge(tc2(), settings("v1.13.4")).notes


@pytest.mark.parametrize(
    "line,version,matches",
    [
        (430, "v1.13.4", True),
        (430, "v1.13.6", True),
        (430, "v1.13.15", False),
        (449, "v1.13.15", True),
        (268, "v1.9.2", True),
        (268, "v1.8.5", False),
        (384, "v1.12.3", True),
        (385, "v1.12.3", False),
    ],
)
def test_loglines_table(line, version, matches):
    assert logs_at(LOST, line, parse_version(version)) is matches


def test_parse_lost_line():
    text = "E1127 10:00:00.123456       1 gc.go:430] lsp lost for pod vm-a.test-ns, please delete the pod and retry"
    found, _ = parse_line(text, NOW)
    assert found is not None and (found.name, found.line, found.severity) == ("vm-a.test-ns", 430, "E")
    assert [r.as_text() for r in found.releases] == ["v1.13.4–v1.13.14"]
    assert [r.as_text() for r in releases(LOST, 268)] == ["v1.8.3–v1.8.4", "v1.9.1–v1.9.2"]
    assert releases(LOST, 385) == []
    log = "\n".join(
        [
            text,
            "I1127 10:00:00.1 1 gc.go:426] gc logical switch port x",
            "garbage",
            "E1127 10:06:00.000001 1 gc.go:562] lsp lost for pod node-n1, please delete the pod and retry",
        ]
    )
    assert [x.name for x in scan(log.splitlines(), NOW).lines if x.event == LOST] == ["vm-a.test-ns", "node-n1"]
    pod_go = "E1127 10:00:00.1 1 pod.go:430] lsp lost for pod a.b, please delete the pod and retry"
    assert parse_line(pod_go, NOW)[0] is None


def test_model_package_has_no_io_imports():
    code = (
        "import sys, kubectl_ovn_lsp.model.lookups, kubectl_ovn_lsp.model.loglines;"
        "import kubectl_ovn_lsp.model as m, pkgutil, importlib;"
        "[importlib.import_module('kubectl_ovn_lsp.model.' + x.name) for x in pkgutil.iter_modules(m.__path__)];"
        "bad = [n for n in sys.modules if n.split('.')[0] in "
        "('kubernetes', 'ovsdbapp', 'ovs', 'urllib3', 'aiohttp', 'requests', 'http', 'socket', 'ssl', "
        "'subprocess', 'asyncio', 'yaml', 'tabulate')];"
        "print(','.join(sorted(bad)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_malformed_default_network_names_that_annotation():
    p = pod("p1", "default", {"v1.multus-cni.io/default-network": '{"name":"x"}', "k8s.v1.cni.cncf.io/networks": "a"})
    with pytest.raises(MalformedMultusAnnotation, match="v1.multus-cni.io/default-network"):
        nad_references([p], None, "default", settings("v1.13.4"))
