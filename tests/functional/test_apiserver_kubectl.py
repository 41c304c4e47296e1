"""The sandbox API server through the real kubectl 1.32 binary, over HTTP and over HTTPS with a bearer token."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from ovn_lsp_sandbox.apiserver import start_in_thread
from ovn_lsp_sandbox.apiserver.fixtures import CONTROLLER_LOG, sample_config
from ovn_lsp_sandbox.apiserver.runner import ServerHandle

OVN_CENTRAL = "ovn-central-7d9f8"


@pytest.fixture(scope="module", params=["http", "https"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHandle]:
    config = sample_config(tls=request.param == "https")
    config["workdir"] = str(tmp_path_factory.mktemp("apiserver"))
    handle = start_in_thread(config)
    yield handle
    handle.stop()


@pytest.fixture
def kubectl(server: ServerHandle, tmp_path: Path):
    """Run kubectl against `server` with its own kubeconfig and discovery cache (KUBECACHEDIR per test)."""
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump(server.kubeconfig(namespace="test-ns")))
    env = {**os.environ, "KUBECONFIG": str(kubeconfig), "KUBECACHEDIR": str(tmp_path / "cache")}

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["kubectl", *args], env=env, input=stdin, capture_output=True, text=True, timeout=30)

    return run


def _header(out: str) -> list[str]:
    return out.splitlines()[0].split()


def test_get_pods_prints_server_side_table(kubectl) -> None:
    res = kubectl("get", "pods", "-n", "test-ns")
    assert res.returncode == 0, res.stderr
    assert _header(res.stdout) == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    rows = {line.split()[0]: line.split()[1:4] for line in res.stdout.splitlines()[1:]}
    assert rows["web-1"] == ["1/1", "Running", "0"]
    assert rows["web-2"] == ["0/1", "ContainerCreating", "0"]


def test_get_pods_wide_adds_priority_columns(kubectl) -> None:
    res = kubectl("get", "pods", "-o", "wide")
    assert "NOMINATED NODE" in res.stdout.splitlines()[0] and "10.16.0.11" in res.stdout, res.stderr


def test_short_names_and_crd_columns(kubectl) -> None:
    res = kubectl("get", "vm,vmi,net-attach-def", "-n", "test-ns")
    assert res.returncode == 0, res.stderr
    assert "virtualmachine.kubevirt.io/vm1" in res.stdout
    assert "networkattachmentdefinition.k8s.cni.cncf.io/attachnet" in res.stdout
    blocks = [b.splitlines() for b in res.stdout.strip().split("\n\n")]
    assert blocks[0][0].split() == ["NAME", "AGE", "STATUS", "READY"]
    assert blocks[1][0].split() == ["NAME", "AGE", "PHASE", "IP", "NODENAME", "READY"]
    assert blocks[1][1].split()[2:] == ["Running", "10.16.0.12", "node1", "True"]


def test_get_subnets_cluster_scoped(kubectl) -> None:
    res = kubectl("get", "subnets")
    assert res.returncode == 0, res.stderr
    assert _header(res.stdout)[:6] == ["NAME", "PROVIDER", "VPC", "VLAN", "PROTOCOL", "CIDR"]
    assert "10.16.0.0/16" in res.stdout and "attach-subnet" in res.stdout


def test_get_pod_json_returns_the_object(kubectl) -> None:
    res = kubectl("get", "pod", "web-1", "-o", "json")
    assert res.returncode == 0, res.stderr
    obj = yaml.safe_load(res.stdout)
    assert obj["kind"] == "Pod" and obj["metadata"]["labels"]["app"] == "web"
    assert obj["metadata"]["resourceVersion"] and obj["metadata"]["uid"]


def test_label_selector(kubectl) -> None:
    res = kubectl("get", "pods", "-l", "app in (web),tier!=back", "-o", "name")
    assert res.stdout.split() == ["pod/web-1"], res.stderr
    res = kubectl("get", "pods", "-A", "-l", "ovn-nb-leader=true", "-o", "name")
    assert res.stdout.split() == [f"pod/{OVN_CENTRAL}"], res.stderr


def test_logs_through_the_deployment(kubectl) -> None:
    res = kubectl("logs", "-n", "kube-system", "deploy/kube-ovn-controller")
    assert res.returncode == 0, res.stderr
    assert res.stdout == CONTROLLER_LOG


def test_exec_runs_the_command_here(kubectl) -> None:
    res = kubectl("exec", "-n", "kube-system", OVN_CENTRAL, "-c", "ovn-central", "--", "echo", "hi")
    assert (res.returncode, res.stdout) == (0, "hi\n"), res.stderr


def test_exec_env_and_rewrite_reach_the_sandbox_nb(kubectl) -> None:
    res = kubectl(
        "exec",
        "-n",
        "kube-system",
        OVN_CENTRAL,
        "--",
        "sh",
        "-c",
        'echo "$OVN_NB_DB" "$0"',
        "unix:/var/run/ovn/ovnnb_db.sock",
    )
    assert res.stdout.split() == ["unix:/tmp/sandbox/run/ovnnb_db.sock"] * 2, res.stderr


def test_exec_exit_code_and_stderr(kubectl) -> None:
    res = kubectl("exec", "-n", "kube-system", OVN_CENTRAL, "--", "sh", "-c", "echo out; echo err >&2; exit 3")
    assert res.returncode == 3
    assert res.stdout == "out\n"
    assert "err\n" in res.stderr and "command terminated with exit code 3" in res.stderr


def test_exec_stdin(kubectl) -> None:
    res = kubectl("exec", "-i", "-n", "kube-system", OVN_CENTRAL, "--", "tr", "a-z", "A-Z", stdin="hello\n")
    assert (res.returncode, res.stdout) == (0, "HELLO\n"), res.stderr


def test_exec_missing_command_is_127(kubectl) -> None:
    res = kubectl("exec", "-n", "kube-system", OVN_CENTRAL, "--", "no-such-command-xyz")
    assert res.returncode == 127
    assert 'exec: "no-such-command-xyz": executable file not found in $PATH' in res.stderr


def test_exec_errors_before_upgrade(kubectl) -> None:
    res = kubectl("exec", "-n", "kube-system", OVN_CENTRAL, "-c", "nope", "--", "true")
    assert res.returncode == 1
    assert f"Error from server (BadRequest): container nope is not valid for pod {OVN_CENTRAL}" in res.stderr
    res = kubectl("exec", "web-2", "--", "true")
    assert res.returncode == 1 and "Error from server (BadRequest)" in res.stderr
    res = kubectl("exec", "web-1", "--", "true")
    assert res.returncode == 1
    assert (
        'Error from server (Forbidden): pods "web-1" is forbidden: User "sandbox-user" cannot create resource '
        '"pods/exec" in API group "" in the namespace "test-ns"'
    ) in res.stderr


def test_not_found_and_forbidden_messages(kubectl) -> None:
    res = kubectl("get", "pod", "nope")
    assert res.returncode == 1
    assert res.stderr.strip() == 'Error from server (NotFound): pods "nope" not found'
    res = kubectl("get", "secret", "kube-ovn-tls", "-n", "kube-system")
    assert res.stderr.strip() == (
        'Error from server (Forbidden): secrets "kube-ovn-tls" is forbidden: User '
        '"sandbox-user" cannot get resource "secrets" in API group "" in the namespace '
        '"kube-system"'
    )
    res = kubectl("get", "vmim")
    assert (
        'virtualmachineinstancemigrations.kubevirt.io is forbidden: User "sandbox-user" cannot list resource '
        '"virtualmachineinstancemigrations" in API group "kubevirt.io" in the namespace "test-ns"'
    ) in res.stderr
