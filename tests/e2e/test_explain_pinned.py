"""Behaviours through the real `kubectl ovn-lsp explain` that had no test: exit 0 for `no-port` and `stale`,
$KUBE_OVN_NS, and the text "yes (hidden from GC)"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.sandboxes import Sandbox, run_plugin


def test_no_port_exits_0(sandbox_factory) -> None:
    proc = run_plugin(sandbox_factory("tc3"), "explain", "p2", "-n", "default", "-o", "json")
    assert proc.returncode == 0, proc.stderr
    assert "no-port" in {p["verdict"] for p in json.loads(proc.stdout)["ports"]}


@pytest.fixture(scope="module")
def odd_ports(sandbox_factory, tmp_path_factory) -> Sandbox:
    """TC1 plus a stale port of web-5f7c (a network it no longer has) and its real port without vendor=kube-ovn
    (with the addresses tc1's allocation gives it: only the vendor is odd)."""
    ids = {"pod": "app/web-5f7c", "ls": "ovn-default"}
    scenario = {
        "name": "odd-ports",
        "include": ["tc1"],
        "nb": {
            "switches": [
                {
                    "name": "ovn-default",
                    "ports": [
                        {"name": "web-5f7c.app", "addresses": ["00:00:00:5A:1B:2C 10.16.0.12"], "external_ids": ids},
                        {
                            "name": "web-5f7c.app.old.app.ovn",
                            "addresses": ["00:00:00:11:22:34 10.16.0.6"],
                            "external_ids": {**ids, "vendor": "kube-ovn"},
                        },
                    ],
                }
            ]
        },
    }
    path = tmp_path_factory.mktemp("odd-ports") / "odd-ports.yaml"
    path.write_text(yaml.safe_dump(scenario))
    return sandbox_factory(str(path))


def test_hidden_from_gc_is_said(odd_ports: Sandbox) -> None:
    """With --enable-external-vpc (on in the sandbox) GC lists only vendor=kube-ovn ports."""
    proc = run_plugin(odd_ports, "explain", "web-5f7c", "-n", "app")
    row = next(line for line in proc.stdout.splitlines() if line.startswith("web-5f7c.app "))
    assert row.split()[2] == "yes,hidden-from-gc" and proc.returncode == 4  # one field, for awk


def test_stale_exits_0(odd_ports: Sandbox) -> None:
    proc = run_plugin(odd_ports, "explain", "web-5f7c", "-n", "app", "-o", "json", "--enable-external-vpc", "false")
    assert proc.returncode == 0, proc.stderr
    ports = {p["name"]: p["verdict"] for p in json.loads(proc.stdout)["ports"]}
    assert ports == {"web-5f7c.app": "ok", "web-5f7c.app.old.app.ovn": "stale"}


def test_kube_ovn_ns_names_the_ovn_namespace(tc4: Sandbox) -> None:
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", KUBE_OVN_NS="test-ns")
    assert (
        proc.returncode == 1
        and 'no Running ovn-central pod (label app=ovn-central) in namespace "test-ns"' in proc.stderr
    )
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "-o", "json", KUBE_OVN_NS="kube-system")
    assert proc.returncode == 4 and json.loads(proc.stdout)["kubeOvn"]["detectedFrom"] == "deployment"
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "--ovn-namespace", "kube-system", KUBE_OVN_NS="test-ns")
    assert proc.returncode == 4, proc.stderr  # the flag wins over the variable


def test_kubeconfig_list_and_context_from_the_second_file(tc4: Sandbox, tmp_path) -> None:
    """KUBECONFIG=a:b with --context in-b works as with kubectl; without it, a's current context (dead) is used."""
    real = yaml.safe_load(Path(tc4.kubeconfig).read_text())
    b = {**real, "contexts": [{"name": "in-b", "context": real["contexts"][0]["context"]}], "current-context": "in-b"}
    a = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "in-a",
        "clusters": [{"name": "dead", "cluster": {"server": "http://127.0.0.1:9"}}],
        "users": [{"name": "nobody", "user": {}}],
        "contexts": [{"name": "in-a", "context": {"cluster": "dead", "user": "nobody"}}],
    }
    (tmp_path / "a").write_text(yaml.safe_dump(a))
    (tmp_path / "b").write_text(yaml.safe_dump(b))
    merged = f"{tmp_path / 'a'}:{tmp_path / 'b'}"
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "--context", "in-b", KUBECONFIG=merged)
    assert proc.returncode == 4, proc.stderr
    assert tc4.kubectl("get", "vm", "-n", "test-ns", "--context", "in-b", KUBECONFIG=merged).returncode == 0
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", KUBECONFIG=merged)
    assert proc.returncode == 1 and "127.0.0.1:9" in proc.stderr
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "--kubeconfig", str(tmp_path / "missing"))
    assert proc.returncode == 1 and proc.stderr.startswith('error: kubeconfig: "') and "no such file" in proc.stderr
