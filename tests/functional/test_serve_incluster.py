"""`serve` in a pod: no kubeconfig, so the kubernetes library's in-cluster loader (client-go's rest.InClusterConfig:
KUBERNETES_SERVICE_HOST/PORT, the service-account token and CA files) reaches the sandbox's HTTPS API server, and
a cycle runs; a wrong token is a failed `connect` step, not a crash. The service-account files' fixed paths
(/var/run/secrets/kubernetes.io/serviceaccount/…) are pointed at a temp directory, as a pod's mount would hold them.
And serve's endpoints: a cycle stuck past its deadline fails /healthz."""

from __future__ import annotations

import base64
import io
import json
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.options import CommonOptions, KubeOptions, NbOptions, ServeOptions
from kubectl_ovn_lsp.serve.cycle import run_cycle
from kubectl_ovn_lsp.serve.state import State


@pytest.fixture
def pod_mount(sandbox_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """The service-account mount and the environment a pod gets, for the TLS tc4 sandbox."""
    import kubernetes.config.incluster_config as incluster

    import kubectl_ovn_lsp.kube.client as client_module

    sandbox = sandbox_factory("tc4", api_tls=True)
    config = yaml.safe_load(Path(sandbox.kubeconfig).read_text())
    server = urlparse(config["clusters"][0]["cluster"]["server"])
    mount = tmp_path / "serviceaccount"
    mount.mkdir()
    (mount / "token").write_text(config["users"][0]["user"]["token"])
    (mount / "ca.crt").write_bytes(base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"]))
    (mount / "namespace").write_text("kube-system")
    monkeypatch.setattr(incluster, "SERVICE_TOKEN_FILENAME", str(mount / "token"))
    monkeypatch.setattr(incluster, "SERVICE_CERT_FILENAME", str(mount / "ca.crt"))
    monkeypatch.setattr(client_module, "SERVICE_ACCOUNT_NS", str(mount / "namespace"))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.kube/config
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", server.hostname or "")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", str(server.port))
    return mount, sandbox.nb_remotes


def options(nb: str) -> ServeOptions:
    return ServeOptions(common=CommonOptions(kube=KubeOptions(request_timeout=10.0), nb=NbOptions(target=nb)))


def test_a_cycle_in_a_pod_uses_the_in_cluster_config(pod_mount: tuple[Path, str]) -> None:
    _, nb = pod_mount
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO())
    outcome = run_cycle(options(nb), env, {}, first_log_cycle=True)
    assert outcome.errors == []
    assert outcome.document is not None
    audit = json.loads(outcome.document)
    assert audit["kind"] == "Audit" and audit["summary"]["ports"] == {"false-positive": 1, "ok": 3}
    assert outcome.cursors and len(outcome.cursors) == 1  # the controller's log was read (history: nothing counted)
    assert outcome.gc_lines == {}


def test_a_wrong_service_account_token_is_a_failed_connect(pod_mount: tuple[Path, str]) -> None:
    mount, nb = pod_mount
    (mount / "token").write_text("not-the-token")
    outcome = run_cycle(options(nb), Environment(stdout=io.StringIO(), stderr=io.StringIO()), {}, first_log_cycle=True)
    assert outcome.document is None
    assert [step for step, _ in outcome.errors] == ["connect"]
    assert "401" in outcome.errors[0][1] or "Unauthorized" in outcome.errors[0][1]


def test_healthz_fails_once_a_cycle_runs_past_its_deadline_and_grace() -> None:
    from kubectl_ovn_lsp.serve.http import application

    state = State()
    app = application(state, registry=None, grace=5)  # type: ignore[arg-type]
    answers: list[str] = []

    def call(path: str) -> bytes:
        body = b"".join(
            app({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, lambda status, headers: answers.append(status))
        )
        return body

    assert call("/healthz") == b"ok\n" and answers[-1] == "200 OK"
    state.update(running_since=time.monotonic() - 12, deadline=10.0)  # 2 s past the deadline: within the grace
    assert call("/healthz") == b"ok\n"
    state.update(running_since=time.monotonic() - 20, deadline=10.0)
    assert call("/healthz").startswith(b"cycle stuck 5s past its deadline") and answers[-1].startswith("503")
    assert call("/readyz").startswith(b"not ready") and answers[-1].startswith("503")
    state.update(running_since=None, document=b'{"kind":"Audit"}')
    assert call("/readyz") == b"ok\n" and call("/audit") == b'{"kind":"Audit"}'
    assert call("/nothing").startswith(b"not found") and answers[-1] == "404 Not Found"
