"""Bad input through the real `kubectl ovn-lsp explain`: one `error:` line, the contract's exit code, no traceback."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest
import yaml

from tests.sandboxes import Sandbox, run_plugin


def _one_error_line(proc, code: int = 1) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in proc.stderr
    assert proc.stdout == ""
    return lines[0]


@pytest.fixture(scope="module")
def broken(sandbox_factory, tmp_path_factory) -> Sandbox:
    """TC1 plus pods with a malformed Multus annotation and with a missing NAD, and RBAC denials."""
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"namespace": "app", "labels": {"app": "bad"}, "annotations": {}},
        "spec": {"nodeName": "node1", "containers": [{"name": "main", "image": "nginx:1.27"}]},
        "status": {
            "phase": "Running",
            "podIP": "10.16.0.40",
            "conditions": [{"type": "Ready", "status": "True"}],
            "containerStatuses": [{"name": "main", "ready": True, "restartCount": 0}],
        },
    }
    malformed = yaml.safe_load(yaml.safe_dump(pod))
    malformed["metadata"]["name"] = "bad-multus"
    malformed["metadata"]["annotations"]["k8s.v1.cni.cncf.io/networks"] = (
        '{"name": "attachnet"}'  # an object, not a list
    )
    missing = yaml.safe_load(yaml.safe_dump(pod))
    missing["metadata"]["name"] = "no-nad"
    missing["metadata"]["annotations"]["k8s.v1.cni.cncf.io/networks"] = "app/does-not-exist"
    scenario = {
        "name": "broken",
        "include": ["tc1"],
        "objects": [malformed, missing],
        "forbidden": [
            {"verb": "get", "resource": "pods", "namespace": "secret-ns"},
            {"verb": "list", "resource": "pods", "namespace": "secret-ns"},
            {"verb": "create", "resource": "pods/exec", "namespace": "kube-system"},
        ],
        "nb": {"derive": True},
    }
    path = tmp_path_factory.mktemp("scenario") / "broken.yaml"
    path.write_text(yaml.safe_dump(scenario))
    return sandbox_factory(str(path))


def test_unknown_name(tc4: Sandbox) -> None:
    line = _one_error_line(run_plugin(tc4, "explain", "nope", "-n", "test-ns"))
    assert '"nope"' in line and '"test-ns"' in line


def test_unknown_vm_with_prefix(tc4: Sandbox) -> None:
    line = _one_error_line(run_plugin(tc4, "explain", "vm/nope", "-n", "test-ns"))
    # no VM of that name anywhere and no port left by one: no -A advice, which could not find it either
    assert line == 'error: virtualmachine "nope" not found in namespace "test-ns"'


@pytest.mark.parametrize(
    "argv,line",
    [
        (
            ["vm-b", "-n", "test-ns"],
            'error: no virtualmachine, virtualmachineinstance or pod named "vm-b" in namespace "test-ns"; did you '
            "mean vm-a?",
        ),
        (
            ["vm/vm-a", "-n", "default"],
            'error: virtualmachine "vm-a" not found in namespace "default"; it exists in namespace test-ns: use -n '
            "test-ns or -A",
        ),
        (
            ["vm-aa", "-A"],
            'error: no virtualmachine, virtualmachineinstance or pod named "vm-aa" in any namespace; did you mean '
            "vm-a?",
        ),
        (
            ["vm-a.test-nss"],
            'error: no pod, virtualmachine or virtualmachineinstance owns port "vm-a.test-nss", and NB has no port '
            "of any owner it could name; did you mean vm-a.test-ns?",
        ),
        (["node/node9"], 'error: node "node9" not found; did you mean node/node1 or node/node2?'),
    ],
)
def test_not_found_says_what_to_try(tc4: Sandbox, argv: list[str], line: str) -> None:
    """#18: explain's errors gave no way forward: now the listed names within two edits, then -n/-A."""
    assert _one_error_line(run_plugin(tc4, "explain", *argv)) == line


@pytest.mark.parametrize(
    "argv,line",
    [
        (
            ["vmd"],
            'error: no virtualmachine, virtualmachineinstance or pod named "vmd" in namespace "default"; ports it '
            "left remain in namespace fns: use -n fns or -A",
        ),
        (
            ["vm/vmd", "-n", "fns"],
            'error: virtualmachine "vmd" not found in namespace "fns"; ports it left remain in namespace fns: '
            "kubectl ovn-lsp explain vmd -n fns shows them",
        ),
        (
            ["vm/vmd", "-A"],
            'error: no virtualmachine named "vmd" in any namespace; ports it left remain in namespace fns: '
            "kubectl ovn-lsp explain vmd -n fns shows them",
        ),
        (["nope", "-A"], 'error: no virtualmachine, virtualmachineinstance or pod named "nope" in any namespace'),
    ],
)
def test_not_found_points_at_the_ports_a_deleted_owner_left(sandbox_factory, argv: list[str], line: str) -> None:
    """A new user's report: the hints said "try -A" where -A found nothing; they name the Orphan's namespace."""
    sandbox = sandbox_factory("vm-deleted-orphan-ports")  # the VM fns/vmd is gone, its two ports are not
    assert _one_error_line(run_plugin(sandbox, "explain", *argv)) == line


def test_all_namespaces_finds_the_ports_a_deleted_owner_left(sandbox_factory) -> None:
    sandbox = sandbox_factory("vm-deleted-orphan-ports")
    proc = run_plugin(sandbox, "explain", "vmd", "-A", "-o", "json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == run_plugin(sandbox, "explain", "vmd", "-n", "fns", "-o", "json").stdout
    target = json.loads(proc.stdout)["target"]
    assert (target["kind"], target["namespace"], target["name"]) == ("Orphan", "fns", "vmd")


@pytest.mark.parametrize(
    "pasted",
    [
        "E1127 10:06:00.123456       1 gc.go:430] lsp lost for pod vm-a.test-ns, please delete the pod and retry",
        "lsp lost for pod vm-a.test-ns, please delete the pod and retry",
        "vm-a.test-ns,",
    ],
)
def test_a_pasted_gc_line_or_a_trailing_comma_explains_the_port(tc4: Sandbox, pasted: str) -> None:
    """#18: a whole pasted log line, or the name with the comma that follows it in the line, was rejected."""
    proc = run_plugin(tc4, "explain", pasted, "-o", "json")
    assert proc.returncode == 4, proc.stderr  # tc4's false positive, as `explain vm-a.test-ns` says
    assert '"name": "vm-a"' in proc.stdout and '"reason": "FP1"' in proc.stdout


def test_unknown_prefix_is_a_usage_error(tc4: Sandbox) -> None:
    proc = run_plugin(tc4, "explain", "svc/x", "-n", "test-ns")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == (
        "error: argument [pod/|vm/|vmi/|node/|vip/]NAME|PORT: expected NAME, pod/NAME, vm/NAME, "
        'vmi/NAME, node/NAME or vip/NAME, got "svc/x"\n'
        "See 'kubectl ovn-lsp explain -h' for help and examples.\n"
    )


def test_all_namespaces_ignores_namespace_as_kubectl_does(tc4: Sandbox) -> None:
    """kubectl 1.32: `get pods -A -n foo` (even `-n 'bad_ns!'`) lists every namespace, -n ignored. So do audit
    and explain: `explain vm-a.test-ns -A -n foo` was refused ("belongs to namespace test-ns, not foo")."""
    every = tc4.kubectl("get", "pods", "-A", "-o", "name")
    assert every.returncode == 0 and "pod/virt-launcher-vm-a-7xk2p" in every.stdout.splitlines()
    for namespace in ("foo", "bad_ns!"):
        for order in (["-A", "-n", namespace], ["-n", namespace, "-A"]):
            assert tc4.kubectl("get", "pods", *order, "-o", "name").stdout == every.stdout, order
    cases = {"audit": [["-A", "-n", "bad_ns!"]], "vm-a.test-ns": [["-A", "-n", "foo"], ["-n", "foo", "-A"]]}
    for target, orders in cases.items():
        command = [target] if target == "audit" else ["explain", target]
        alone = run_plugin(tc4, *command, "-A", "-o", "json")
        assert alone.returncode == 4 and alone.stderr == "", (command, alone.stderr)  # tc4's false positive
        for order in orders:
            proc = run_plugin(tc4, *command, *order, "-o", "json")
            assert (proc.returncode, proc.stdout, proc.stderr) == (4, alone.stdout, ""), (command, order)


def test_every_usage_line_names_every_target_form(tc4: Sandbox) -> None:
    """`explain ''` printed `[pod/|vm/|vmi/|node/]NAME|PORT`, without the vip/ form explain accepts; so did --help
    and docs/contracts.md. Every line that lists the forms lists all five."""
    forms = "[pod/|vm/|vmi/|node/|vip/]NAME"
    proc = run_plugin(tc4, "explain", "")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        f"error: argument {forms}|PORT: a name is required\nSee 'kubectl ovn-lsp explain -h' for help and examples.\n"
    )
    help_text = run_plugin(tc4, "explain", "--help").stdout
    assert f"\n                               {forms}|PORT\n" in help_text  # the usage line
    assert f"\n  {forms}|PORT\n" in help_text  # the positional argument's entry
    assert "node or\n                        kubeovn.io Vip, or a port name" in help_text
    listing = run_plugin(tc4, "--help").stdout
    assert "explain   explain the ports of one pod, VM, VMI, node, Vip or port name\n" in listing
    root = Path(__file__).parents[2]
    for doc in ("README.md", "docs/contracts.md"):
        usage = [line for line in (root / doc).read_text().splitlines() if line.startswith("kubectl ovn-lsp explain [")]
        assert usage and all(line.startswith(f"kubectl ovn-lsp explain {forms} | PORT-NAME") for line in usage), doc


def test_malformed_multus_annotation(broken: Sandbox) -> None:
    line = _one_error_line(run_plugin(broken, "explain", "bad-multus", "-n", "app"))
    assert "k8s.v1.cni.cncf.io/networks" in line and "bad-multus" in line


def test_missing_nad(broken: Sandbox) -> None:
    line = _one_error_line(run_plugin(broken, "explain", "no-nad", "-n", "app"))
    assert "does-not-exist" in line and "not found" in line.lower()


def test_forbidden_names_verb_and_resource(broken: Sandbox) -> None:
    line = _one_error_line(run_plugin(broken, "explain", "pod/x", "-n", "secret-ns"))
    assert "forbidden" in line and "get" in line and "pods" in line and "secret-ns" in line


def test_forbidden_exec_names_pods_exec(broken: Sandbox) -> None:
    line = _one_error_line(run_plugin(broken, "explain", "web-5f7c", "-n", "app"))
    assert "create" in line and "pods/exec" in line and "kube-system" in line


def test_no_ovn_central_pod(tc4: Sandbox) -> None:
    line = _one_error_line(run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "--ovn-namespace", "test-ns"))
    assert "ovn-central" in line and '"test-ns"' in line


def test_nb_connection_refused(tc4: Sandbox) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    line = _one_error_line(run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "--nb", f"tcp:127.0.0.1:{port}"))
    assert f"tcp:127.0.0.1:{port}" in line and "refused" in line


def test_nb_silent_listener_is_bounded_by_request_timeout(tc4: Sandbox) -> None:
    """A listener that never answers: the command gives up after --request-timeout with a clear line."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        port = server.getsockname()[1]
        proc = run_plugin(
            tc4,
            "explain",
            "vm-a",
            "-n",
            "test-ns",
            "--nb",
            f"tcp:127.0.0.1:{port}",
            "--request-timeout",
            "1",
            timeout=30,
        )
        line = _one_error_line(proc)
        assert "within 1 s" in line or "within 1s" in line
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        server.close()


def test_unreachable_api_server(tc4: Sandbox, tmp_path) -> None:
    config = yaml.safe_load(Path(tc4.kubeconfig).read_text())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config["clusters"][0]["cluster"]["server"] = f"http://127.0.0.1:{port}"
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    line = _one_error_line(run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", KUBECONFIG=str(path)))
    assert f"127.0.0.1:{port}" in line


def test_bad_kubeconfig(tc4: Sandbox, tmp_path) -> None:
    path = tmp_path / "kubeconfig"
    path.write_text("apiVersion: v1\nkind: Config\ncontexts: []\nclusters: []\nusers: []\n")
    line = _one_error_line(run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", KUBECONFIG=str(path)))
    assert line.startswith("error: kubeconfig:")


def test_wrong_token_is_unauthorized_over_https(sandbox_factory, tmp_path) -> None:
    sandbox = sandbox_factory("tc4", api_tls=True)
    config = yaml.safe_load(Path(sandbox.kubeconfig).read_text())
    config["users"][0]["user"]["token"] = "wrong"
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    line = _one_error_line(run_plugin(sandbox, "explain", "vm-a", "-n", "test-ns", KUBECONFIG=str(path)))
    assert "Unauthorized" in line


def test_usage_error_is_exit_2(tc4: Sandbox) -> None:
    proc = run_plugin(tc4, "explain", "vm-a", "-o", "xml")
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0].startswith("error: argument -o/--output: invalid choice")
    assert "See 'kubectl ovn-lsp explain -h'" in proc.stderr


@pytest.mark.parametrize("value", ["http://x", "tcp:127.0.0.1", "tcp:127.0.0.1:6641,ssl:127.0.0.1:6641"])
def test_bad_nb_value_is_a_usage_error(tc4: Sandbox, value: str) -> None:
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "--nb", value)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: argument --nb: expected auto, exec, or tcp:HOST:PORT")


@pytest.fixture(scope="module")
def no_kubevirt_rbac(sandbox_factory, tmp_path_factory) -> Sandbox:
    """TC1 for a user who may not read KubeVirt objects at all."""
    scenario = {
        "name": "no-kubevirt-rbac",
        "include": ["tc1"],
        "forbidden": [
            {"verb": "get", "resource": "virtualmachines", "group": "kubevirt.io"},
            {"verb": "get", "resource": "virtualmachineinstances", "group": "kubevirt.io"},
        ],
    }
    path = tmp_path_factory.mktemp("scenario") / "no-kubevirt-rbac.yaml"
    path.write_text(yaml.safe_dump(scenario))
    return sandbox_factory(str(path))


def test_plain_pod_resolves_without_kubevirt_rbac(no_kubevirt_rbac: Sandbox) -> None:
    proc = run_plugin(no_kubevirt_rbac, "explain", "web-5f7c", "-n", "app", "-o", "json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout and '"kind": "Pod"' in proc.stdout


def test_unknown_name_without_kubevirt_rbac_reports_the_denial(no_kubevirt_rbac: Sandbox) -> None:
    line = _one_error_line(run_plugin(no_kubevirt_rbac, "explain", "vm-x", "-n", "app"))
    assert "forbidden" in line and "virtualmachines" in line and "get" in line
