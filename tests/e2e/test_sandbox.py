"""The sandbox as users drive it: `kubectl ovn-lsp sandbox up|down`, then kubectl and the Python client."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.sandboxes import Sandbox


def _plugin(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run(
        ["kubectl", "ovn-lsp", *args], capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env
    )


def _pid_is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.fixture(scope="module", params=["http", "https"])
def cli_sandbox(request, tmp_path_factory) -> Sandbox:
    """Started with the real `kubectl ovn-lsp sandbox up` (HTTPS with a token for the second param)."""
    directory = tmp_path_factory.mktemp(f"cli-{request.param}")
    args = ["sandbox", "up", "tc4", "--dir", str(directory)] + (["--tls"] if request.param == "https" else [])
    proc = _plugin(*args)
    assert proc.returncode == 0, proc.stderr
    assert f"export KUBECONFIG={directory}/kubeconfig" in proc.stdout
    state = json.loads((directory / "state.json").read_text())
    yield Sandbox("tc4", directory, state)
    down = _plugin("sandbox", "down", "--dir", str(directory))
    assert down.returncode == 0, down.stderr


def test_kubectl_get_pods(cli_sandbox: Sandbox) -> None:
    proc = cli_sandbox.kubectl("get", "pods", "-n", "test-ns")
    assert proc.returncode == 0, proc.stderr
    header, row = proc.stdout.splitlines()[:2]
    assert header.split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert row.split()[:3] == ["virt-launcher-vm-a-7xk2p", "2/2", "Running"]  # compute + volumecontainerdisk


def test_kubectl_get_kubevirt_and_multus_objects(cli_sandbox: Sandbox) -> None:
    proc = cli_sandbox.kubectl("get", "vm,vmi,net-attach-def", "-n", "test-ns")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "virtualmachine.kubevirt.io/vm-a" in out
    assert "virtualmachineinstance.kubevirt.io/vm-a" in out
    assert "networkattachmentdefinition.k8s.cni.cncf.io/subnet-a" in out


def test_kubectl_get_subnets(cli_sandbox: Sandbox) -> None:
    proc = cli_sandbox.kubectl("get", "subnets")
    assert proc.returncode == 0, proc.stderr
    names = [line.split()[0] for line in proc.stdout.splitlines()[1:]]
    assert {"ovn-default", "join", "subnet-a"} <= set(names)
    assert "subnet-a.test-ns.ovn" in proc.stdout  # the PROVIDER column


def test_kubectl_logs_of_the_controller(cli_sandbox: Sandbox) -> None:
    proc = cli_sandbox.kubectl("logs", "-n", "kube-system", "deploy/kube-ovn-controller")
    assert proc.returncode == 0, proc.stderr
    assert "gc.go:430] lsp lost for pod vm-a.test-ns, please delete the pod and retry" in proc.stdout


def test_kubectl_exec_ovn_nbctl_show_prints_the_real_nb(cli_sandbox: Sandbox) -> None:
    central = cli_sandbox.kubectl(
        "get", "pods", "-n", "kube-system", "-l", "app=ovn-central", "-o", "jsonpath={.items[0].metadata.name}"
    ).stdout
    proc = cli_sandbox.kubectl("exec", "-n", "kube-system", central, "-c", "ovn-central", "--", "ovn-nbctl", "show")
    assert proc.returncode == 0, proc.stderr
    assert "switch" in proc.stdout and "(subnet-a)" in proc.stdout
    assert "port vm-a.test-ns.subnet-a.test-ns.ovn" in proc.stdout
    assert "vm-a.test-ns\n" not in proc.stdout


def test_kubectl_exec_passes_the_exit_code(cli_sandbox: Sandbox) -> None:
    central = cli_sandbox.kubectl(
        "get", "pods", "-n", "kube-system", "-l", "app=ovn-central", "-o", "jsonpath={.items[0].metadata.name}"
    ).stdout
    proc = cli_sandbox.kubectl(
        "exec", "-n", "kube-system", central, "-c", "ovn-central", "--", "ovn-nbctl", "lsp-get-ls", "no-such-port"
    )
    assert proc.returncode == 1
    assert "no-such-port" in proc.stderr


def test_python_client_core_custom_objects_and_exec(cli_sandbox: Sandbox) -> None:
    from kubernetes import client, config
    from kubernetes.stream import stream

    api_client = config.new_client_from_config(config_file=cli_sandbox.kubeconfig)
    core = client.CoreV1Api(api_client)
    pods = core.list_namespaced_pod("test-ns")
    assert [p.metadata.name for p in pods.items] == ["virt-launcher-vm-a-7xk2p"]
    custom = client.CustomObjectsApi(api_client)
    vms = custom.list_namespaced_custom_object("kubevirt.io", "v1", "test-ns", "virtualmachines")
    assert [vm["metadata"]["name"] for vm in vms["items"]] == ["vm-a"]
    subnet = custom.get_cluster_custom_object("kubeovn.io", "v1", "subnets", "subnet-a")
    assert subnet["spec"]["provider"] == "subnet-a.test-ns.ovn"
    central = core.list_namespaced_pod("kube-system", label_selector="app=ovn-central,ovn-nb-leader=true").items[0]
    response = stream(
        core.connect_get_namespaced_pod_exec,
        central.metadata.name,
        "kube-system",
        container="ovn-central",
        command=[
            "ovn-nbctl",
            "--bare",
            "--columns=name",
            "list",
            "Logical_Switch_Port",
            "vm-a.test-ns.subnet-a.test-ns.ovn",
        ],
        stdout=True,
        stderr=True,
        stdin=False,
        tty=False,
        _preload_content=False,
    )
    response.run_forever(timeout=10)
    assert response.read_stdout().strip() == "vm-a.test-ns.subnet-a.test-ns.ovn"
    assert response.returncode == 0
    failing = stream(
        core.connect_get_namespaced_pod_exec,
        central.metadata.name,
        "kube-system",
        container="ovn-central",
        command=["sh", "-c", "exit 3"],
        stdout=True,
        stderr=True,
        stdin=False,
        tty=False,
        _preload_content=False,
    )
    failing.run_forever(timeout=10)
    assert failing.returncode == 3


def test_not_found_is_shaped_like_kube_apiserver(cli_sandbox: Sandbox) -> None:
    proc = cli_sandbox.kubectl("get", "pod", "nope", "-n", "test-ns")
    assert proc.returncode == 1
    assert 'Error from server (NotFound): pods "nope" not found' in proc.stderr


def test_down_leaves_no_process_running(tmp_path) -> None:
    directory = tmp_path / "sb"
    assert _plugin("sandbox", "up", "tc1", "--dir", str(directory), "--nb-cluster", "3").returncode == 0
    state = json.loads((directory / "state.json").read_text())
    pids = [state["apiserver"]["pid"]] + [m["pid"] for m in state["nb"]["members"]]
    assert len(pids) == 4 and all(_pid_is_running(pid) for pid in pids)
    proc = _plugin("sandbox", "down", "--dir", str(directory))
    assert proc.returncode == 0 and "stopped 4 process(es)" in proc.stdout
    assert not any(_pid_is_running(pid) for pid in pids)
    assert not (directory / "state.json").exists()
    again = _plugin("sandbox", "up", "tc1", "--dir", str(directory))  # the directory can be reused
    assert again.returncode == 0, again.stderr
    assert _plugin("sandbox", "down", "--dir", str(directory)).returncode == 0


def test_up_twice_in_one_directory_is_refused(tmp_path) -> None:
    directory = tmp_path / "sb"
    assert _plugin("sandbox", "up", "tc1", "--dir", str(directory)).returncode == 0
    try:
        proc = _plugin("sandbox", "up", "tc1", "--dir", str(directory))
        assert proc.returncode == 1 and proc.stderr.startswith("error: sandbox: already running")
    finally:
        _plugin("sandbox", "down", "--dir", str(directory))


def test_list_shows_the_shipped_scenarios() -> None:
    proc = _plugin("sandbox", "list")
    names = [line.split()[0] for line in proc.stdout.splitlines()]
    assert names == [
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


def test_unknown_scenario_is_one_error_line(tmp_path) -> None:
    proc = _plugin("sandbox", "up", "tc99", "--dir", str(tmp_path / "sb"))
    assert proc.returncode == 1 and len(proc.stderr.splitlines()) == 1 and "tc99" in proc.stderr


def test_nb_ssl_requires_the_client_certificate(sandbox_factory) -> None:
    sandbox = sandbox_factory("tc4", nb_ssl=True)
    ssl = sandbox.state["nb"]["ssl"]
    remote = sandbox.nb_remotes
    assert remote.startswith("ssl:")
    ok = subprocess.run(
        [
            "ovn-nbctl",
            f"--db={remote}",
            "-p",
            ssl["client_key"],
            "-c",
            ssl["client_cert"],
            "-C",
            ssl["cacert"],
            "--timeout=5",
            "ls-list",
        ],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and "subnet-a" in ok.stdout, ok.stderr
    refused = subprocess.run(
        ["ovn-nbctl", f"--db={remote}", "-C", ssl["cacert"], "--timeout=3", "ls-list"], capture_output=True, text=True
    )
    assert refused.returncode != 0


def test_nb_ssl_publishes_secret_kube_ovn_tls(sandbox_factory) -> None:
    sandbox = sandbox_factory("tc4", nb_ssl=True)
    proc = sandbox.kubectl("get", "secret", "kube-ovn-tls", "-n", "kube-system", "-o", "json")
    assert proc.returncode == 0, proc.stderr
    assert set(json.loads(proc.stdout)["data"]) == {"cacert", "cert", "key"}


def test_generate_small_cluster(tmp_path) -> None:
    directory = tmp_path / "gen"
    proc = _plugin("sandbox", "up", "--generate", "pods=40,vms=10,lsps=400", "--dir", str(directory))
    assert proc.returncode == 0, proc.stderr
    try:
        state = json.loads((directory / "state.json").read_text())
        sandbox = Sandbox("gen", directory, state)
        vms = json.loads(sandbox.kubectl("get", "vm", "-A", "-o", "json").stdout)["items"]
        assert len(vms) == 10
        count = subprocess.run(
            ["ovn-nbctl", f"--db={sandbox.nb_remotes}", "--bare", "--columns=_uuid", "list", "Logical_Switch_Port"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert len(count.stdout.split()) == 400
        vm = vms[0]["metadata"]
        explained = sandbox.kubectl("ovn-lsp", "explain", f"vm/{vm['name']}", "-n", vm["namespace"], "-o", "json")
        assert explained.returncode in (0, 4), explained.stderr
        assert json.loads(explained.stdout)["target"]["name"] == vm["name"]
    finally:
        _plugin("sandbox", "down", "--dir", str(directory))


def test_replay_a_dump_directory(tc4: Sandbox, tmp_path) -> None:
    """A customer's `kubectl get -o yaml` files and `ovsdb-client backup` replay to the same explanation."""
    dump = tmp_path / "dump"
    dump.mkdir()
    for kinds in ("pods,deployments", "vm,vmi,net-attach-def", "subnets,nodes,namespaces"):
        proc = tc4.kubectl("get", kinds, "-A", "-o", "yaml")
        assert proc.returncode == 0, proc.stderr
        (dump / f"{kinds.replace(',', '-')}.yaml").write_text(proc.stdout)
    unix = tc4.state["nb"]["members"][0]["unix_socket"]
    backup = subprocess.run(
        ["ovsdb-client", "backup", f"unix:{unix}", "OVN_Northbound"], capture_output=True, check=True
    )
    (dump / "ovnnb_db.db").write_bytes(backup.stdout)
    directory = tmp_path / "replay"
    proc = _plugin("sandbox", "up", str(dump), "--dir", str(directory))
    assert proc.returncode == 0, proc.stderr
    try:
        state = json.loads((directory / "state.json").read_text())
        replay = Sandbox("replay", directory, state)
        original = json.loads(tc4.kubectl("ovn-lsp", "explain", "vm-a", "-n", "test-ns", "-o", "json").stdout)
        replayed = replay.kubectl("ovn-lsp", "explain", "vm-a", "-n", "test-ns", "-o", "json")
        assert replayed.returncode == 4, replayed.stderr
        document = json.loads(replayed.stdout)
        assert document["ports"] == original["ports"] and document["verdict"] == "false-positive"
    finally:
        _plugin("sandbox", "down", "--dir", str(directory))


def test_kubeconfig_context_and_namespace(cli_sandbox: Sandbox) -> None:
    config = yaml.safe_load(Path(cli_sandbox.kubeconfig).read_text())
    assert config["current-context"] == config["contexts"][0]["name"]
    server = config["clusters"][0]["cluster"]["server"]
    assert server.startswith("http://127.0.0.1:") or server.startswith("https://127.0.0.1:")
