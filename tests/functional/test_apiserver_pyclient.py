"""The sandbox API server through the kubernetes Python client (REST and WebSocket exec), HTTP and HTTPS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from kubernetes import client, config
from kubernetes.stream import stream

from ovn_lsp_sandbox.apiserver import start_in_thread
from ovn_lsp_sandbox.apiserver.fixtures import CONTROLLER_LOG, sample_config

OVN_CENTRAL = "ovn-central-7d9f8"


@pytest.fixture(scope="module", params=["http", "https"])
def api_client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[client.ApiClient]:
    tmp = tmp_path_factory.mktemp("pyclient")
    cfg = sample_config(tls=request.param == "https")
    cfg["workdir"] = str(tmp)
    handle = start_in_thread(cfg)
    kubeconfig = tmp / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump(handle.kubeconfig()))
    api = config.new_client_from_config(config_file=str(kubeconfig))
    yield api
    api.close()
    handle.stop()


def _exec(core: client.CoreV1Api, argv: list[str], **kw: object):
    resp = stream(
        core.connect_get_namespaced_pod_exec,
        OVN_CENTRAL,
        "kube-system",
        command=argv,
        stdout=True,
        stderr=True,
        stdin=False,
        tty=False,
        _preload_content=False,
        **kw,
    )
    resp.run_forever(timeout=10)
    return resp


def test_list_namespaced_pod(api_client: client.ApiClient) -> None:
    core = client.CoreV1Api(api_client)
    pods = core.list_namespaced_pod("test-ns")
    assert [p.metadata.name for p in pods.items] == ["virt-launcher-vm1-abcde", "web-1", "web-2"]
    assert pods.metadata.resource_version
    assert pods.items[1].status.pod_ip == "10.16.0.11"


def test_selectors(api_client: client.ApiClient) -> None:
    core = client.CoreV1Api(api_client)
    leader = core.list_namespaced_pod("kube-system", label_selector="app=ovn-central,ovn-nb-leader=true")
    assert [p.metadata.name for p in leader.items] == [OVN_CENTRAL]
    running = core.list_pod_for_all_namespaces(field_selector="status.phase=Running,spec.nodeName=node1")
    assert "web-2" not in {p.metadata.name for p in running.items} and len(running.items) == 4


def test_custom_objects(api_client: client.ApiClient) -> None:
    crd = client.CustomObjectsApi(api_client)
    vms = crd.list_namespaced_custom_object(
        group="kubevirt.io", version="v1", namespace="test-ns", plural="virtualmachines"
    )
    assert vms["kind"] == "VirtualMachineList" and [v["metadata"]["name"] for v in vms["items"]] == ["vm1"]
    subnet = crd.get_cluster_custom_object(group="kubeovn.io", version="v1", plural="subnets", name="ovn-default")
    assert subnet["spec"]["cidrBlock"] == "10.16.0.0/16"


def test_not_found_status(api_client: client.ApiClient) -> None:
    with pytest.raises(client.ApiException) as err:
        client.CoreV1Api(api_client).read_namespaced_pod("nope", "test-ns")
    assert err.value.status == 404
    assert yaml.safe_load(err.value.body) == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'pods "nope" not found',
        "reason": "NotFound",
        "details": {"name": "nope", "kind": "pods"},
        "code": 404,
    }


def test_pod_log(api_client: client.ApiClient) -> None:
    core = client.CoreV1Api(api_client)
    assert core.read_namespaced_pod_log("kube-ovn-controller-5c4f7-x2k9q", "kube-system") == CONTROLLER_LOG
    assert (
        core.read_namespaced_pod_log("kube-ovn-controller-5c4f7-x2k9q", "kube-system", tail_lines=1)
        == CONTROLLER_LOG.splitlines(keepends=True)[-1]
    )


def test_exec_stdout_and_returncode(api_client: client.ApiClient) -> None:
    core = client.CoreV1Api(api_client)
    ok = _exec(core, ["env"], container="ovn-central")
    assert "OVN_NB_DB=unix:/tmp/sandbox/run/ovnnb_db.sock" in ok.read_stdout().splitlines()
    assert ok.returncode == 0
    failed = _exec(core, ["sh", "-c", "echo partial; echo oops >&2; exit 3"], container="ovn-central")
    assert (failed.read_stdout(), failed.read_stderr(), failed.returncode) == ("partial\n", "oops\n", 3)


def test_exec_preloaded_content(api_client: client.ApiClient) -> None:
    out = stream(
        client.CoreV1Api(api_client).connect_get_namespaced_pod_exec,
        OVN_CENTRAL,
        "kube-system",
        command=["echo", "hello"],
        stdout=True,
        stderr=True,
        stdin=False,
        tty=False,
    )
    assert out == "hello\n"


def test_exec_stdin(api_client: client.ApiClient) -> None:
    resp = stream(
        client.CoreV1Api(api_client).connect_get_namespaced_pod_exec,
        OVN_CENTRAL,
        "kube-system",
        command=["head", "-n", "1"],
        stdout=True,
        stderr=True,
        stdin=True,
        tty=False,
        _preload_content=False,
    )
    resp.write_stdin("line one\n")
    resp.run_forever(timeout=10)
    assert (resp.read_stdout(), resp.returncode) == ("line one\n", 0)


def test_exec_into_multi_container_pod_needs_container(api_client: client.ApiClient) -> None:
    """The Python client does not default the container; single-container pods are defaulted by the server."""
    assert _exec(client.CoreV1Api(api_client), ["true"]).returncode == 0


def test_exec_errors_surface_as_handshake_status(api_client: client.ApiClient) -> None:
    """The Python client reports a refused upgrade as ApiException(status=0) with the HTTP status and the Status
    body only in `reason`; callers have to parse it from there."""
    core = client.CoreV1Api(api_client)
    with pytest.raises(client.ApiException) as err:
        stream(
            core.connect_get_namespaced_pod_exec,
            "web-1",
            "test-ns",
            command=["true"],
            stdout=True,
            stderr=True,
            stdin=False,
            tty=False,
        )
    assert err.value.status == 0
    assert "Handshake status 403 Forbidden" in str(err.value.reason)
    assert 'cannot create resource \\"pods/exec\\"' in str(err.value.reason)  # JSON-escaped Status body
