"""Wire-level shapes the clients depend on: discovery, Status bodies, auth, Tables, selectors, log errors."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from ovn_lsp_sandbox.apiserver import start_in_thread
from ovn_lsp_sandbox.apiserver.fixtures import sample_config
from ovn_lsp_sandbox.apiserver.runner import ServerHandle

TOKEN = "sandbox-token"
TABLE = (
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
)


@pytest.fixture(scope="module")
def server() -> Iterator[ServerHandle]:
    handle = start_in_thread(sample_config(token=TOKEN))
    yield handle
    handle.stop()


def call(
    server: ServerHandle, path: str, token: str | None = TOKEN, accept: str = "application/json", method: str = "GET"
) -> tuple[int, Any]:
    headers = {"Accept": accept}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(server.url + path, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read().decode()
            return resp.status, json.loads(body) if resp.headers.get_content_type() == "application/json" else body
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_discovery_is_legacy_json_with_short_names(server: ServerHandle) -> None:
    status, groups = call(server, "/apis")
    assert status == 200 and groups["kind"] == "APIGroupList"
    names = {g["name"] for g in groups["groups"]}
    assert {"apps", "kubevirt.io", "k8s.cni.cncf.io", "kubeovn.io"} <= names
    _, kv = call(server, "/apis/kubevirt.io/v1")
    vm = next(r for r in kv["resources"] if r["name"] == "virtualmachines")
    assert vm["shortNames"] == ["vm", "vms"] and vm["namespaced"] and "list" in vm["verbs"]
    _, core = call(server, "/api/v1")
    assert {"pods", "pods/log", "pods/exec", "namespaces", "nodes"} <= {r["name"] for r in core["resources"]}
    assert call(server, "/api")[1]["versions"] == ["v1"]


def test_version_is_public(server: ServerHandle) -> None:
    assert call(server, "/version", token=None)[1]["gitVersion"] == "v1.32.4"


def test_wrong_token_is_401(server: ServerHandle) -> None:
    status, body = call(server, "/api/v1/pods", token="wrong")
    assert (status, body["reason"], body["message"]) == (401, "Unauthorized", "Unauthorized")


def test_unknown_resource_is_404_with_upstream_message(server: ServerHandle) -> None:
    status, body = call(server, "/api/v1/namespaces/test-ns/widgets")
    assert status == 404
    assert body == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "the server could not find the requested resource",
        "reason": "NotFound",
        "details": {},
        "code": 404,
    }


def test_group_not_found_message_is_qualified(server: ServerHandle) -> None:
    status, body = call(server, "/apis/kubevirt.io/v1/namespaces/test-ns/virtualmachines/nope")
    assert status == 404
    assert body["message"] == 'virtualmachines.kubevirt.io "nope" not found'
    assert body["details"] == {"name": "nope", "group": "kubevirt.io", "kind": "virtualmachines"}


def test_forbidden_status_shape(server: ServerHandle) -> None:
    status, body = call(server, "/api/v1/namespaces/kube-system/secrets/kube-ovn-tls")
    assert status == 403
    assert body == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'secrets "kube-ovn-tls" is forbidden: User "sandbox-user" cannot get resource '
        '"secrets" in API group "" in the namespace "kube-system"',
        "reason": "Forbidden",
        "details": {"name": "kube-ovn-tls", "kind": "secrets"},
        "code": 403,
    }


def test_lists_carry_kind_and_resource_version(server: ServerHandle) -> None:
    _, pods = call(server, "/api/v1/pods?limit=500")
    assert pods["kind"] == "PodList" and pods["apiVersion"] == "v1" and pods["metadata"]["resourceVersion"]
    _, deps = call(server, "/apis/apps/v1/namespaces/kube-system/deployments")
    assert deps["kind"] == "DeploymentList" and deps["apiVersion"] == "apps/v1"


@pytest.mark.parametrize(
    "selector,names",
    [
        ("labelSelector=app%3Dweb", ["web-1", "web-2"]),
        ("labelSelector=app%3D%3Dweb,tier%21%3Dfront", ["web-2"]),
        ("labelSelector=tier+notin+(front)", ["virt-launcher-vm1-abcde", "web-2"]),
        ("labelSelector=tier", ["web-1", "web-2"]),
        ("labelSelector=%21tier", ["virt-launcher-vm1-abcde"]),
        ("fieldSelector=metadata.name%3Dweb-1", ["web-1"]),
        ("fieldSelector=status.phase%21%3DRunning", ["web-2"]),
        (
            "fieldSelector=metadata.namespace%3Dtest-ns,spec.nodeName%3Dnode1&labelSelector=app+in+(web)",
            ["web-1", "web-2"],
        ),
    ],
)
def test_selectors(server: ServerHandle, selector: str, names: list[str]) -> None:
    _, pods = call(server, f"/api/v1/namespaces/test-ns/pods?{selector}")
    assert [p["metadata"]["name"] for p in pods["items"]] == names


def test_table_rows_carry_partial_metadata(server: ServerHandle) -> None:
    _, table = call(server, "/api/v1/namespaces/test-ns/pods", accept=TABLE)
    assert table["kind"] == "Table" and table["apiVersion"] == "meta.k8s.io/v1"
    assert [c["name"] for c in table["columnDefinitions"] if c["priority"] == 0] == [
        "Name",
        "Ready",
        "Status",
        "Restarts",
        "Age",
    ]
    assert table["rows"][1]["object"]["kind"] == "PartialObjectMetadata"
    assert table["rows"][1]["object"]["metadata"]["name"] == "web-1"
    _, full = call(server, "/api/v1/namespaces/test-ns/pods?includeObject=Object", accept=TABLE)
    assert full["rows"][1]["object"]["kind"] == "Pod"


def test_generic_kind_is_served(server: ServerHandle) -> None:
    cfg = sample_config(token="")
    cfg["objects"].append(
        {
            "apiVersion": "example.com/v1alpha1",
            "kind": "WidgetPolicy",
            "metadata": {"name": "w", "namespace": "test-ns"},
        }
    )
    with start_in_thread(cfg) as other:
        status, body = call(other, "/apis/example.com/v1alpha1/namespaces/test-ns/widgetpolicies/w", token=None)
        assert status == 200 and body["kind"] == "WidgetPolicy"
        _, disc = call(other, "/apis/example.com/v1alpha1", token=None)
        assert disc["resources"][0]["name"] == "widgetpolicies"


def test_log_container_errors(server: ServerHandle) -> None:
    status, body = call(server, "/api/v1/namespaces/test-ns/pods/web-1/log?container=nope")
    assert (status, body["message"]) == (400, "container nope is not valid for pod web-1")


def test_writes_are_refused(server: ServerHandle) -> None:
    status, body = call(server, "/api/v1/namespaces/test-ns/pods/web-1", method="DELETE")
    assert (status, body["reason"]) == (405, "MethodNotAllowed")


def test_list_documents_are_expanded_and_input_is_not_mutated() -> None:
    """Dumps come as `kind: List` or typed lists whose items lack kind/apiVersion; the caller's dicts stay as given."""
    typed = {
        "kind": "PodList",
        "apiVersion": "v1",
        "items": [{"metadata": {"name": "a", "namespace": "x"}, "spec": {"containers": [{"name": "c"}]}}],
    }
    with start_in_thread({"objects": [typed]}) as other:
        status, pod = call(other, "/api/v1/namespaces/x/pods/a", token=None)
        assert status == 200 and pod["kind"] == "Pod" and pod["metadata"]["uid"]
        assert call(other, "/api/v1/namespaces/x", token=None)[0] == 200  # namespace synthesised
    assert typed["items"][0]["metadata"] == {"name": "a", "namespace": "x"}
