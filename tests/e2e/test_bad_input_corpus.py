"""A bad-input corpus against one sandbox: per case exactly one `error:` line with exit 1 or 2, or a verdict;
never a traceback or an internal error.

The sandbox serves every malformed object as it is (a replayed dump can hold it); each case lives in its own
namespace (`bad-N`) or, for the controller's Deployment, its own OVN namespace (`ctl-N`, read with
`--ovn-namespace` and a direct NB read). Cases run in-process (`cli.main`, ~50 ms each) so the corpus stays
fast; a sample also runs through the real `kubectl ovn-lsp`.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml

from kubectl_ovn_lsp.cli import main as cli
from tests.sandboxes import Sandbox, run_plugin

VERDICT_CODES = {0, 3, 4, 5, 6}
TALLY = {"cases": 0, "errors": 0, "verdicts": 0}
NETWORKS = "k8s.v1.cni.cncf.io/networks"
DEFAULT_NET = "v1.multus-cni.io/default-network"


def _pod(name: str, namespace: str, annotations: dict | None = None) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": f"uid-{namespace}-{name[:40]}",
            "creationTimestamp": "2026-11-01T00:00:00Z",
            "labels": {"app": "bad"},
            "annotations": dict(annotations or {}),
        },
        "spec": {"nodeName": "node1", "restartPolicy": "Always", "containers": [{"name": "main", "image": "x"}]},
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]},
    }


def _vm(name: str, namespace: str, networks: Any = None, template_annotations: Any = None) -> dict:
    template: dict = {"spec": {"networks": networks if networks is not None else [{"name": "default", "pod": {}}]}}
    if template_annotations is not None:
        template["metadata"] = {"annotations": template_annotations}
    return {
        "apiVersion": "kubevirt.io/v1",
        "kind": "VirtualMachine",
        "metadata": {"name": name, "namespace": namespace, "uid": f"uid-vm-{namespace}-{name[:40]}"},
        "spec": {"runStrategy": "Halted", "template": template},
        "status": {"printableStatus": "Stopped"},
    }


def _nad(name: str, namespace: str, config: Any) -> dict:
    return {
        "apiVersion": "k8s.cni.cncf.io/v1",
        "kind": "NetworkAttachmentDefinition",
        "metadata": {"name": name, "namespace": namespace, "uid": f"uid-nad-{namespace}-{name}"},
        "spec": {"config": config},
    }


def _set(obj: dict, path: str, value: Any) -> dict:
    obj = copy.deepcopy(obj)
    *parents, last = path.split(".")
    here = obj
    for key in parents:
        here = here.setdefault(key, {})
    here[last] = value
    return obj


KUBE_OVN_NAD = json.dumps(
    {"cniVersion": "0.3.1", "type": "kube-ovn", "server_socket": "/run/x.sock", "provider": "net1.{ns}.ovn"}
)

# (case id, objects, explain argv after "explain")
CASES: list[tuple[str, list[dict], list[str]]] = []


def case(case_id: str, objects: list[dict], *argv: str) -> None:
    CASES.append((case_id, objects, list(argv)))


def _multus_cases() -> None:
    values = {
        "text-three-slashes": "a/b/c",
        "text-two-ats": "net1@eth0@x",
        "text-upper": "NET1",
        "text-space": "ns/na me",
        "text-comma": ",",
        "text-empty-parts": "net1,,",
        "text-iface-only": "@eth0",
        "text-dots": "net.1",
        "text-long": "n" * 300,
        "json-object": '{"name": "net1"}',
        "json-name-number": '[{"name": 1}]',
        "json-item-number": "[1]",
        "json-bad-mac": '[{"name": "net1", "mac": "zz"}]',
        "json-ips-string": '[{"name": "net1", "ips": "10.0.0.1"}]',
        "json-bad-ip": '[{"name": "net1", "ips": ["x"]}]',
        "json-truncated": '[{"name": "net1"',
        "json-null": "null",
        "json-empty": "[]",
        "json-string": '"net1"',
        "json-nested": '[[{"name": "net1"}]]',
        "json-deep": "[" * 5000 + "]" * 5000,  # deeper than Python's JSON decoder follows (issue #15)
        "missing-nad": "nope",
    }
    for n, (label, value) in enumerate(values.items()):
        ns = f"bad-m{n}"
        objs = [_nad("net1", ns, KUBE_OVN_NAD.replace("{ns}", ns)), _pod("p", ns, {NETWORKS: value})]
        case(f"multus-networks-{label}", objs, "p", "-n", ns)
    for n, value in enumerate(["a/b/c", '{"name": 1}', "NET1", "net1@eth0"]):
        ns = f"bad-d{n}"
        objs = [_nad("net1", ns, KUBE_OVN_NAD.replace("{ns}", ns)), _pod("p", ns, {DEFAULT_NET: value})]
        case(f"multus-default-{value[:12]}", objs, "p", "-n", ns)


def _nad_cases() -> None:
    configs = {
        "not-json": "{type: kube-ovn",
        "list": "[]",
        "type-number": '{"type": 5}',
        "plugins-string": '{"plugins": "x"}',
        "plugins-numbers": '{"plugins": [1, 2]}',
        "ipam-string": '{"type": "macvlan", "ipam": "kube-ovn"}',
        "provider-number": '{"type": "kube-ovn", "provider": 5}',
        "empty": "",
        "config-number": 5,
        "config-map": {"type": "kube-ovn"},
        "null-json": "null",
        "deep-json": '{"a":' * 5000 + "1" + "}" * 5000,  # issue #15: a RecursionError was an internal error
    }
    for n, (label, config) in enumerate(configs.items()):
        ns = f"bad-n{n}"
        case(f"nad-{label}", [_nad("net1", ns, config), _pod("p", ns, {NETWORKS: "net1"})], "p", "-n", ns)


def _field_cases() -> None:
    pod_fields = {
        "labels-number": ("metadata.labels", {"a": 1}),
        "annotations-list": ("metadata.annotations", ["a"]),
        "annotation-bool": ("metadata.annotations", {"ovn.kubernetes.io/allocated": True}),
        "owners-map": ("metadata.ownerReferences", {"kind": "StatefulSet"}),
        "owners-null": ("metadata.ownerReferences", [None]),
        "owner-kind-number": ("metadata.ownerReferences", [{"kind": 3, "name": "x", "apiVersion": "v1"}]),
        "created-word": ("metadata.creationTimestamp", "yesterday"),
        "deleted-number": ("metadata.deletionTimestamp", 5),
        "grace-string": ("metadata.deletionGracePeriodSeconds", "30"),
        "hostnetwork-string": ("spec.hostNetwork", "true"),
        "containers-string": ("spec.containers", "main"),
        "spec-list": ("spec", []),
        "status-string": ("status", "Running"),
        "phase-number": ("status.phase", 1),
        "conditions-map": ("status.conditions", {"Ready": "True"}),
    }
    for n, (label, (path, value)) in enumerate(pod_fields.items()):
        ns = f"bad-f{n}"
        case(f"pod-{label}", [_set(_pod("p", ns), path, value)], "pod/p", "-n", ns)
    vm_fields = {
        "networks-string": {"networks": "net1"},
        "networks-null-item": {"networks": [None]},
        "multus-string": {"networks": [{"name": "a", "multus": "net1"}]},
        "network-name-number": {"networks": [{"name": "a", "multus": {"networkName": 5}}]},
        "multus-default-string": {"networks": [{"name": "a", "multus": {"networkName": "net1", "default": "yes"}}]},
        "template-annotations-list": {"template_annotations": ["x"]},
        "template-annotation-bad": {"template_annotations": {NETWORKS: "a/b/c"}},
    }
    for n, (label, kwargs) in enumerate(vm_fields.items()):
        ns = f"bad-v{n}"
        case(
            f"vm-{label}",
            [_nad("net1", ns, KUBE_OVN_NAD.replace("{ns}", ns)), _vm("vm1", ns, **kwargs)],
            "vm1",
            "-n",
            ns,
        )
    ns = "bad-v-tmpl"
    case("vm-template-string", [_set(_vm("vm1", ns), "spec.template", "x")], "vm/vm1", "-n", ns)
    ns = "bad-sts"
    sts = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": ns, "uid": "u1"},
        "spec": {"replicas": "3", "ordinals": {"start": "x"}},
    }
    member = _pod("db-0", ns)
    member["metadata"]["ownerReferences"] = [
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db", "uid": "u1"}
    ]
    case("statefulset-replicas-string", [sts, member], "pod/db-0", "-n", ns)
    ns = "bad-vmi"
    vmi = {
        "apiVersion": "kubevirt.io/v1",
        "kind": "VirtualMachineInstance",
        "metadata": {"name": "vmi1", "namespace": ns, "ownerReferences": {"kind": "VirtualMachine"}},
    }
    case("vmi-owners-map", [vmi], "vmi/vmi1", "-n", ns)


def _name_cases() -> None:
    case("name-with-dots", [_pod("web.v1.a", "bad-names")], "web.v1.a", "-n", "bad-names")
    case("name-253", [_pod("p" * 253, "bad-names")], "pod/" + "p" * 253, "-n", "bad-names")
    case("vm-upper-case", [_vm("VM-Upper", "bad-names")], "vm/VM-Upper", "-n", "bad-names")
    case("name-not-there", [], "does-not-exist", "-n", "bad-names")
    case("name-newline", [], "a\nb", "-n", "bad-names")
    case("namespace-semicolon", [], "vm-a", "-n", "test-ns", "--ovn-namespace", "x;y")


CONTROLLERS: dict[str, dict] = {
    "no-tag": {"image": "kubeovn/kube-ovn"},
    "registry-port": {"image": "registry:5000/kube-ovn"},
    "latest": {"image": "kubeovn/kube-ovn:latest"},
    "digest": {"image": "kubeovn/kube-ovn:v1.13.4@sha256:abcd"},
    "digest-only": {"image": "kubeovn/kube-ovn@sha256:abcd"},
    "future": {"image": "kubeovn/kube-ovn:v99.0.0"},
    "older-than-checked": {"image": "kubeovn/kube-ovn:v1.6.0"},
    "two-parts": {"image": "kubeovn/kube-ovn:v1.13"},
    "arch-suffix": {"image": "kubeovn/kube-ovn:v1.14.2-x86"},
    "empty-image": {"image": ""},
    "colon": {"image": ":"},
    "args-not-bool": {"args": ["--keep-vm-ip=maybe"]},
    "gc-interval-word": {"args": ["--gc-interval=abc"]},
    "gc-interval-last": {"args": ["--gc-interval"]},
    "stray-words": {"args": ["--keep-vm-ip", "false", "-", "--"]},
    "args-string": {"args": "--keep-vm-ip=true"},
    "args-numbers": {"args": [1, 2]},
    "image-number": {"image": 5},
    "containers-map": {"containers": {"name": "x"}},
}


def _controller_cases() -> None:
    for n, (label, change) in enumerate(CONTROLLERS.items()):
        container: Any = {
            "name": "kube-ovn-controller",
            "image": "docker.io/kubeovn/kube-ovn:v1.13.4",
            "args": ["--keep-vm-ip=true", "--enable-external-vpc=true"],
        }
        container.update({k: v for k, v in change.items() if k != "containers"})
        containers = change.get("containers", [container])
        deploy = {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "kube-ovn-controller", "namespace": f"ctl-{n}", "uid": f"uid-ctl-{n}"},
            "spec": {"template": {"spec": {"containers": containers}}},
        }
        case(f"controller-{label}", [deploy], "vm-a", "-n", "test-ns", "--ovn-namespace", f"ctl-{n}", "--nb", "{NB}")


CLI_CASES = [
    ["vm-a", "--request-timeout", "nan"],
    ["vm-a", "--request-timeout", "inf"],
    ["vm-a", "--request-timeout", "1e9"],
    ["vm-a", "--request-timeout", "-3"],
    ["vm-a", "--request-timeout", "10x"],
    ["vm-a", "-o", "xml"],
    ["vm-a", "--nb", "http://x"],
    ["vm-a", "--nb", "tcp:h"],
    ["vm-a", "--keep-vm-ip", "maybe"],
    ["vm-a", "--kube-ovn-version", "banana"],
    ["vm-a", "--kube-ovn-version", "v1.6.0"],
    ["svc/x"],
    ["vm/"],
    [""],
    ["vm-a", "--color", "purple"],
    ["vm-a", "--nb", "tcp:127.0.0.1:1,ssl:127.0.0.1:2"],
    ["vm-a", "--kube-ovn-version", "v1.13.4/../x"],
]

_multus_cases()
_nad_cases()
_field_cases()
_name_cases()
_controller_cases()


@pytest.fixture(scope="module")
def corpus(sandbox_factory, tmp_path_factory) -> Sandbox:
    objects = [obj for _, objs, _ in CASES for obj in objs]
    scenario = {"name": "bad-input-corpus", "include": ["tc4"], "objects": objects, "nb": {"derive": True}}
    path = tmp_path_factory.mktemp("corpus") / "corpus.yaml"
    path.write_text(yaml.safe_dump(scenario))
    return sandbox_factory(str(path))


def judge_outcome(code: int, out: str, err: str) -> str:
    """'error' (exactly one error: line, exit 1 or 2) or 'verdict' (a verdict's exit code and output)."""
    assert "Traceback" not in err and "internal error" not in err, err
    if code in (1, 2):
        lines = [line for line in err.splitlines() if line.startswith("error:")]
        assert len(lines) == 1, err
        assert code == 2 or err.count("\n") == 1, err  # exit 1: the error line is all; exit 2 adds the -h hint
        return "error"
    assert code in VERDICT_CODES and out.strip(), (code, out, err)
    return "verdict"


def _run(monkeypatch, capsys, sandbox: Sandbox, argv: list[str]) -> tuple[int, str, str]:
    for key, value in sandbox.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("KUBE_OVN_NS", raising=False)
    argv = [a.replace("{NB}", sandbox.nb_remotes) for a in argv]
    code = cli.main(["explain", *argv, "--request-timeout", "10s"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("case_id, objects, argv", CASES, ids=[c[0] for c in CASES])
def test_bad_object(corpus: Sandbox, monkeypatch, capsys, case_id: str, objects: list, argv: list[str]) -> None:
    code, out, err = _run(monkeypatch, capsys, corpus, argv)
    outcome = judge_outcome(code, out, err)
    TALLY["cases"] += 1
    TALLY["errors" if outcome == "error" else "verdicts"] += 1
    if case_id.startswith(
        (
            "pod-",
            "vm-networks",
            "vm-multus",
            "vm-network-name",
            "vm-template-s",
            "vmi-",
            "controller-args-string",
            "controller-args-numbers",
            "controller-image-number",
            "controller-containers",
        )
    ):
        assert outcome == "error" and ("must be" in err), err  # a shape error naming the field
    if case_id == "name-newline":
        assert code == 2 and "a\\nb" in err
    if case_id == "namespace-semicolon":
        assert '"x;y"' in err
    if case_id == "controller-older-than-checked":  # #18: was replayed as master, verdict ok
        assert code == 1 and err.startswith("error: the kube-ovn-controller Deployment runs v1.6.0, which is older")


@pytest.mark.parametrize("argv", CLI_CASES, ids=[" ".join(a)[:40] or "empty" for a in CLI_CASES])
def test_bad_cli_value(corpus: Sandbox, monkeypatch, capsys, argv: list[str]) -> None:
    code, out, err = _run(monkeypatch, capsys, corpus, argv)
    assert code == 2 and judge_outcome(code, out, err) == "error"
    TALLY["cases"] += 1
    TALLY["errors"] += 1


@pytest.mark.parametrize("index", [0, 20, 30, 45, 60])
def test_sample_through_real_kubectl(corpus: Sandbox, index: int) -> None:
    case_id, _, argv = CASES[index % len(CASES)]
    argv = [a.replace("{NB}", corpus.nb_remotes) for a in argv]
    proc = run_plugin(corpus, "explain", *argv)
    judge_outcome(proc.returncode, proc.stdout, proc.stderr)


def test_malformed_subnet_is_one_line(sandbox_factory, tmp_path_factory) -> None:
    """Subnets are cluster-wide (every explain lists them), so a bad one gets its own sandbox."""
    subnet = {
        "apiVersion": "kubeovn.io/v1",
        "kind": "Subnet",
        "metadata": {"name": "bad-subnet", "uid": "u-bs"},
        "spec": {"provider": 5, "cidrBlock": "10.99.0.0/16"},
    }
    path = tmp_path_factory.mktemp("bad-subnet") / "bad-subnet.yaml"
    path.write_text(
        yaml.safe_dump({"name": "bad-subnet", "include": ["tc1"], "objects": [subnet], "nb": {"derive": True}})
    )
    proc = run_plugin(sandbox_factory(str(path)), "explain", "web-5f7c", "-n", "app")
    assert judge_outcome(proc.returncode, proc.stdout, proc.stderr) == "error"
    assert "Subnet bad-subnet: spec.provider must be a string, got a number (5)" in proc.stderr


def test_zz_corpus_size(capsys) -> None:
    """The corpus is at least 50 cases; prints the tally (pytest -s)."""
    with capsys.disabled():
        print(f"\nbad-input corpus: {TALLY}")
    assert len(CASES) + len(CLI_CASES) >= 50


# -- malformed replies from the API itself (issue #15): one error line each, never an internal error --------------

DEEP = 3000  # levels: kube-apiserver accepts up to 10,000 (Go's encoding/json), Python's decoder follows ~1,000


def _deep_vm_yaml() -> str:
    """A VirtualMachine whose spec holds an unknown field nested DEEP levels (a CRD with preserved unknown
    fields allows it), as flow YAML text: building it as text needs no recursion in the test."""
    nested = "{a: " * DEEP + "1" + "}" * DEEP
    return (
        "  - apiVersion: kubevirt.io/v1\n    kind: VirtualMachine\n"
        "    metadata: {name: deep, namespace: bad-deep, uid: uid-deep}\n"
        "    spec: {runStrategy: Halted, template: {spec: {networks: [{name: default, pod: {}}]}}, x: " + nested + "}\n"
    )


REPLIES = {  # namespace: the body its VM list answers with (a misbehaving aggregated API or proxy)
    "bad-items": '{"kind": "VirtualMachineList", "apiVersion": "kubevirt.io/v1", "metadata": {}, "items": {"a": 1}}',
    "bad-array": "[1, 2]",
    "bad-continue": '{"kind": "VirtualMachineList", "metadata": {"continue": 5}, "items": []}',
    "bad-deep-reply": '{"items": ' + "[" * DEEP + "]" * DEEP + "}",
}


@pytest.fixture(scope="module")
def replies(sandbox_factory, tmp_path_factory) -> Sandbox:
    replies = [
        {"path": f"/apis/kubevirt.io/v1/namespaces/{ns}/virtualmachines", "status": 200, "body": body}
        for ns, body in REPLIES.items()
    ]
    text = yaml.safe_dump(
        {"name": "bad-replies", "include": ["tc4"], "nb": {"derive": True}, "api": {"replies": replies}}
    )
    path = tmp_path_factory.mktemp("replies") / "bad-replies.yaml"
    namespaces = "".join(  # the namespaces exist, as in a cluster: only their VM list misbehaves
        f"  - {{apiVersion: v1, kind: Namespace, metadata: {{name: {ns}}}}}\n" for ns in [*REPLIES, "bad-deep"]
    )
    path.write_text(text + "objects:\n" + namespaces + _deep_vm_yaml())
    return sandbox_factory(str(path))


def _error_line(proc) -> str:
    assert judge_outcome(proc.returncode, proc.stdout, proc.stderr) == "error" and proc.returncode == 1, proc.stderr
    return proc.stderr.strip()


@pytest.mark.parametrize(
    "namespace, detail",
    [
        ("bad-items", "returned a list whose items is not an array (a mapping)"),
        ("bad-array", "returned HTTP 200 with JSON that is not an object (a list)"),
        ("bad-continue", "returned a list whose metadata.continue is not a string (a number (5))"),
        ("bad-deep-reply", "returned HTTP 200 with JSON nested too deeply to read"),
    ],
)
def test_a_malformed_list_reply_is_one_error_line(replies: Sandbox, namespace: str, detail: str) -> None:
    line = _error_line(run_plugin(replies, "audit", "-n", namespace))
    assert f"GET /apis/kubevirt.io/v1/namespaces/{namespace}/virtualmachines {detail}" in line, line


def test_a_deeply_nested_object_is_one_error_line(replies: Sandbox) -> None:
    """The object as the API server stores and serves it (the sandbox holds objects as deep as kube-apiserver)."""
    line = _error_line(run_plugin(replies, "explain", "vm/deep", "-n", "bad-deep"))
    assert (
        "GET /apis/kubevirt.io/v1/namespaces/bad-deep/virtualmachines/deep returned HTTP 200 with JSON nested" in line
    )
    line = _error_line(run_plugin(replies, "audit", "-A"))  # the cluster-wide VM list holds it too
    assert "GET /apis/kubevirt.io/v1/virtualmachines returned HTTP 200 with JSON nested too deeply" in line, line
