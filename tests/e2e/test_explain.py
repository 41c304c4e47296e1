"""End to end: the real `kubectl ovn-lsp explain …` through kubectl, against sandboxes of the shipped scenarios.

Expected verdicts come from kube-ovn-lsp-spec.md §7 and the contract's exit codes, at the scenarios'
controller version (v1.13.4, keep-vm-ip and enable-external-vpc on) unless a test overrides it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.sandboxes import Sandbox, run_plugin

# (scenario, target, namespace, extra args, exit code, {port name: (verdict, reason)})
CASES = [
    ("tc1", "web-5f7c", "app", [], 0, {"web-5f7c.app": ("ok", None)}),
    ("tc2", "p1", "default", [], 0, {"p1.default": ("ok", None), "p1.default.attachnet.default.ovn": ("ok", None)}),
    ("tc3", "p2", "default", [], 0, {"p2.default": ("ok", None), "p2.default.macvlan.default": ("no-port", None)}),
    (
        "tc4",
        "vm-a",
        "test-ns",
        [],
        4,
        {"vm-a.test-ns": ("false-positive", "FP1"), "vm-a.test-ns.subnet-a.test-ns.ovn": ("ok", None)},
    ),
    (
        "tc4",
        "vm-a",
        "test-ns",
        ["--kube-ovn-version", "v1.13.6"],
        0,
        {"vm-a.test-ns.subnet-a.test-ns.ovn": ("ok", None)},
    ),
    (
        "tc4",
        "vm-a",
        "test-ns",
        ["--kube-ovn-version", "v1.14.0"],
        0,
        {"vm-a.test-ns.subnet-a.test-ns.ovn": ("ok", None)},
    ),
    (
        "tc4",
        "vm-a",
        "test-ns",
        ["--kube-ovn-version", "v1.12.20"],
        4,
        {"vm-a.test-ns": ("false-positive", "FP1"), "vm-a.test-ns.subnet-a.test-ns.ovn": ("ok", None)},
    ),
    ("tc5", "vm1", "vmns", [], 0, {"vm1.vmns": ("ok", None), "vm1.vmns.nad-a.vmns.ovn": ("ok", None)}),
    ("tc5", "vm2", "vmns", [], 0, {"vm2.vmns": ("ok", None), "vm2.vmns.nad-a.vmns.ovn": ("ok", None)}),
    (
        "tc5",
        "vm2",
        "vmns",
        ["--kube-ovn-version", "v1.14.2"],
        5,
        {"vm2.vmns": ("ok", None), "vm2.vmns.nad-a.vmns.ovn": ("deletion-risk", "DEL2")},
    ),
    (
        "tc5",
        "vm2",
        "vmns",
        ["--kube-ovn-version", "v1.12.2"],
        5,
        {"vm2.vmns": ("ok", None), "vm2.vmns.nad-a.vmns.ovn": ("deletion-risk", "DEL1")},
    ),
    ("tc8", "vm4", "vmns", [], 0, {"vm4.vmns": ("ok", None)}),
]


def _ids(case: tuple) -> str:
    return "-".join([case[0], case[1]] + [a.lstrip("-") for a in case[3]])


def _explain(sandbox: Sandbox, target: str, namespace: str, *extra: str) -> tuple[int, dict, str]:
    proc = run_plugin(sandbox, "explain", target, "-n", namespace, "-o", "json", *extra)
    assert proc.stderr == "" or proc.returncode == 1, proc.stderr
    document = json.loads(proc.stdout) if proc.stdout.strip() else {}
    return proc.returncode, document, proc.stderr


def _check(document: dict, code: int, expected_code: int, ports: dict) -> None:
    assert code == expected_code, document
    found = {p["name"]: (p["verdict"], p["reason"]) for p in document["ports"]}
    assert found == ports
    names = [p["name"] for p in document["ports"]]
    assert names == sorted(names) and len(set(names)) == len(names)
    severity = {"deletion-risk": 5, "lost": 3, "false-positive": 4}
    worst = max(
        (p[0] for p in ports.values() if p[0] in severity),
        default="ok",
        key=lambda v: ["false-positive", "lost", "deletion-risk"].index(v) if v in severity else -1,
    )
    assert document["verdict"] == worst


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_explain_via_exec(sandbox_factory, case) -> None:
    scenario, target, namespace, extra, exit_code, ports = case
    sandbox = sandbox_factory(scenario)
    code, document, _ = _explain(sandbox, target, namespace, *extra)
    _check(document, code, exit_code, ports)
    assert document["nb"]["via"] == "exec"
    assert document["nb"]["leaderOnly"] is True
    assert document["nb"]["endpoint"].startswith("kube-system/ovn-central-")


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_explain_via_direct_tcp(sandbox_factory, case) -> None:
    scenario, target, namespace, extra, exit_code, ports = case
    sandbox = sandbox_factory(scenario)
    code, document, _ = _explain(sandbox, target, namespace, "--nb", sandbox.nb_remotes, *extra)
    _check(document, code, exit_code, ports)
    assert document["nb"] == {"via": "direct", "endpoint": sandbox.nb_remotes, "leaderOnly": False}


def test_reported_case_document(tc4: Sandbox) -> None:
    """The #5087 VM: the whole contract document, field by field."""
    code, document, _ = _explain(tc4, "vm-a", "test-ns")
    assert code == 4
    assert document["apiVersion"] == "ovn-lsp.kubeovn.io/v1alpha1" and document["kind"] == "Explanation"
    assert document["target"] == {
        "kind": "VirtualMachine",
        "namespace": "test-ns",
        "name": "vm-a",
        "portOwner": "vm-a",
        "pods": ["virt-launcher-vm-a-7xk2p"],
    }
    assert document["kubeOvn"] == {
        "version": "v1.13.4",
        "band": "F",
        "keepVmIp": True,
        "enableExternalVpc": True,
        "nonPrimaryCniMode": False,
        "detectedFrom": "deployment",
        "deploymentVersion": "v1.13.4",
        "behaviourOf": "v1.13.4",
    }
    lost, present = document["ports"]
    assert lost["name"] == "vm-a.test-ns" and lost["expectedByGc"] and not lost["inNb"]
    assert lost["sources"] == ["vm-spec"] and lost["provider"] == "ovn"
    assert present["provider"] == "subnet-a.test-ns.ovn" and present["network"] == "test-ns/subnet-a"
    assert present["inNb"] and present["listedByGc"] and present["logicalSwitch"] == "subnet-a"
    assert present["addresses"] and "pod-annotation" in present["sources"]
    assert document["gc"]["lostLogged"] == ["vm-a.test-ns"]
    assert document["gc"]["wouldDelete"] == []
    assert document["gc"]["message"] == "lsp lost for pod vm-a.test-ns, please delete the pod and retry"
    assert document["verdict"] == "false-positive"
    assert any("5106" in a for a in document["advice"])


def test_version_override_is_shown_against_what_runs(tc4: Sandbox) -> None:
    code, document, _ = _explain(tc4, "vm-a", "test-ns", "--kube-ovn-version", "v1.13.6")
    assert code == 0
    assert (document["kubeOvn"]["version"], document["kubeOvn"]["band"]) == ("v1.13.6", "G")
    assert document["kubeOvn"]["deploymentVersion"] == "v1.13.4"
    assert document["kubeOvn"]["detectedFrom"] == "flags"  # #18: it said "deployment" when the flag set it
    for command in (["audit", "-n", "test-ns"], ["triage"]):
        proc = run_plugin(tc4, *command, "--kube-ovn-version", "v1.13.6", "-o", "json")
        assert json.loads(proc.stdout)["kubeOvn"]["detectedFrom"] == "flags", command
    text = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "--kube-ovn-version", "v1.13.6").stdout
    assert "v1.13.6, band G (from --kube-ovn-version; the Deployment runs v1.13.4)" in text


def test_launcher_pod_gives_the_same_answer(tc4: Sandbox) -> None:
    by_vm = _explain(tc4, "vm-a", "test-ns")
    by_pod = _explain(tc4, "pod/virt-launcher-vm-a-7xk2p", "test-ns")
    by_bare_pod_name = _explain(tc4, "virt-launcher-vm-a-7xk2p", "test-ns")
    assert by_vm[0] == by_pod[0] == by_bare_pod_name[0] == 4
    assert by_vm[1]["ports"] == by_pod[1]["ports"] == by_bare_pod_name[1]["ports"]
    assert by_pod[1]["target"]["kind"] == "VirtualMachine" and by_pod[1]["target"]["name"] == "vm-a"


def test_flipping_keep_vm_ip_off_on_a_vm_named_nb_is_a_real_loss(tc4: Sandbox) -> None:
    """NB built under keep-vm-ip, controller now without it: the pod-named port Kube-OVN wants is missing."""
    code, document, _ = _explain(tc4, "vm-a", "test-ns", "--keep-vm-ip", "false")
    assert code == 3
    assert document["kubeOvn"]["keepVmIp"] is False
    verdicts = {p["name"]: p["verdict"] for p in document["ports"]}
    assert verdicts["virt-launcher-vm-a-7xk2p.test-ns.subnet-a.test-ns.ovn"] == "lost"
    assert "vm-a.test-ns" not in verdicts  # GC's VM path only runs with keep-vm-ip


@pytest.fixture(scope="module")
def tc4_without_keep_vm_ip(sandbox_factory, tmp_path_factory) -> Sandbox:
    """TC4 on a controller that always ran with --keep-vm-ip=false: ports are named after the launcher pod."""
    import yaml

    from ovn_lsp_sandbox.scenario_load import load_scenario

    deployment = next(
        o
        for o in load_scenario("tc4").objects
        if o["kind"] == "Deployment" and o["metadata"]["name"] == "kube-ovn-controller"
    )
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["args"] = [a for a in container["args"] if not a.startswith("--keep-vm-ip")] + ["--keep-vm-ip=false"]
    path = tmp_path_factory.mktemp("scenario") / "tc4-no-keep-vm-ip.yaml"
    path.write_text(yaml.safe_dump({"name": "tc4-no-keep-vm-ip", "include": ["tc4"], "objects": [deployment]}))
    return sandbox_factory(str(path))


@pytest.mark.parametrize("version", ["v1.12.20", "v1.13.4", "v1.13.6", "v1.14.0"])
def test_keep_vm_ip_off_is_ok_in_every_version(tc4_without_keep_vm_ip: Sandbox, version: str) -> None:
    code, document, _ = _explain(tc4_without_keep_vm_ip, "vm-a", "test-ns", "--kube-ovn-version", version)
    assert code == 0, document
    assert document["kubeOvn"]["keepVmIp"] is False
    assert document["target"]["portOwner"] == "virt-launcher-vm-a-7xk2p"
    assert (document["target"]["kind"], document["target"]["name"]) == ("VirtualMachine", "vm-a")
    assert {p["name"]: p["verdict"] for p in document["ports"]} == {
        "virt-launcher-vm-a-7xk2p.test-ns.subnet-a.test-ns.ovn": "ok"
    }


def test_migration_lists_both_launcher_pods(sandbox_factory) -> None:
    code, document, _ = _explain(sandbox_factory("tc8"), "vm4", "vmns")
    assert code == 0
    assert document["target"]["pods"] == ["virt-launcher-vm4-aaaaa", "virt-launcher-vm4-bbbbb"]


def test_text_output_has_header_table_and_paragraph(tc4: Sandbox) -> None:
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns")
    assert proc.returncode == 4
    out = proc.stdout
    assert "Target:    VirtualMachine test-ns/vm-a" in out
    assert "v1.13.4, band F" in out
    header = next(line for line in out.splitlines() if line.startswith("NAME"))
    assert header.split() == ["NAME", "NETWORK", "IN", "NB", "GC", "EXPECTS", "VERDICT", "REASON"]
    row = next(line for line in out.splitlines() if line.startswith("vm-a.test-ns "))
    assert "false-positive" in row and "FP1" in row
    assert "lsp lost for pod vm-a.test-ns" in out and "Do not delete the pod" in " ".join(out.split())
    assert "\033[" not in out  # NO_COLOR is set by the fixture


def test_the_readmes_example_is_what_explain_prints(tc4: Sandbox) -> None:
    """The README's explain example is the sandbox's output, byte for byte, and its exit code (a new user's run
    found its advice paragraph a release-register change behind)."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    command = "$ kubectl ovn-lsp explain vm-a -n test-ns\n"
    block = readme.split(command, 1)[1].split("```", 1)[0]
    printed, exit_line = block.split("$ echo $?\n")
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns")
    assert proc.stdout == printed
    assert exit_line == f"{proc.returncode}\n"


def test_wide_and_no_headers(tc4: Sandbox) -> None:
    wide = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "-o", "wide").stdout
    header = next(line for line in wide.splitlines() if line.startswith("NAME"))
    assert header.split()[-5:] == ["PROVIDER", "SWITCH", "ADDRESSES", "SOURCES", "DETAIL"]  # DETAIL last (#10)
    bare = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "--no-headers").stdout
    assert bare.splitlines()[0].startswith("vm-a.test-ns ")
    assert "Target:" not in bare and "NAME" not in bare


def test_color_always_paints_verdicts_but_keeps_words(tc4: Sandbox) -> None:
    out = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "--color", "always").stdout
    assert "\033[33mfalse-positive\033[0m" in out


def test_yaml_matches_json(tc4: Sandbox) -> None:
    import yaml

    as_json = json.loads(run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "-o", "json").stdout)
    as_yaml = yaml.safe_load(run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "-o", "yaml").stdout)
    assert as_json == as_yaml


def test_namespace_defaults_to_the_context_namespace(tc4: Sandbox, tmp_path) -> None:
    import yaml

    config = yaml.safe_load(Path(tc4.kubeconfig).read_text())
    config["contexts"][0]["context"]["namespace"] = "test-ns"
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    proc = run_plugin(tc4, "explain", "vm-a", "-o", "json", KUBECONFIG=str(path))
    assert proc.returncode == 4, proc.stderr
    assert json.loads(proc.stdout)["target"]["namespace"] == "test-ns"


def test_verbose_shows_requests_and_the_nb_query(tc4: Sandbox) -> None:
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "-v", "-o", "json")
    assert proc.returncode == 4
    assert "/apis/kubevirt.io/v1/namespaces/test-ns/virtualmachines/vm-a" in proc.stderr
    assert "ovsdb-client --timeout=" in proc.stderr and " query unix:/var/run/ovn/ovnnb_db.sock " in proc.stderr


def test_all_namespaces_finds_a_unique_name(sandbox_factory) -> None:
    code, document, _ = _explain(sandbox_factory("tc5"), "vm1", "ignored-with-A", "-A")
    assert code == 0
    assert (document["target"]["namespace"], document["target"]["name"]) == ("vmns", "vm1")


def test_all_namespaces_refuses_an_ambiguous_name(sandbox_factory, tmp_path_factory) -> None:
    import yaml

    from ovn_lsp_sandbox.scenario_load import load_scenario

    twin = next(o for o in load_scenario("tc1").objects if o["kind"] == "Pod" and o["metadata"]["name"] == "web-5f7c")
    twin["metadata"]["namespace"] = "default"
    path = tmp_path_factory.mktemp("scenario") / "twins.yaml"
    path.write_text(yaml.safe_dump({"name": "twins", "include": ["tc1"], "objects": [twin]}))
    proc = run_plugin(sandbox_factory(str(path)), "explain", "web-5f7c", "-A")
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == 'error: pod "web-5f7c" exists in namespaces app, default: choose one with -n\n'
