"""`serve` in a pod: no kubeconfig, so the kubernetes library's in-cluster loader (client-go's rest.InClusterConfig:
KUBERNETES_SERVICE_HOST/PORT, the service-account token and CA files) reaches the sandbox's HTTPS API server, and
a cycle runs; a wrong token is a failed `connect` step, not a crash. The service-account files' fixed paths
(/var/run/secrets/kubernetes.io/serviceaccount/…) are pointed at a temp directory, as a pod's mount would hold them.
And serve's endpoints: a cycle stuck past its deadline fails /healthz."""

from __future__ import annotations

import base64
import gzip
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
from kubectl_ovn_lsp.serve.state import AuditJson, State


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
    audit = json.loads(gzip.decompress(outcome.document.gzip))
    assert outcome.document.size == len(json.dumps(audit, separators=(",", ":")).encode())
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
    state.update(running_since=None, document=AuditJson.pack(b'{"kind":"Audit"}'))
    assert call("/readyz") == b"ok\n" and call("/audit") == b'{"kind":"Audit"}'
    assert call("/nothing").startswith(b"not found") and answers[-1] == "404 Not Found"


def test_audit_is_sent_gzip_encoded_when_accepted_and_inflated_in_chunks_when_not() -> None:
    """The document is kept gzip-compressed (21 MB of JSON at 50,000 ports is ~1 MB): a client that accepts gzip
    gets those bytes, any other the JSON, inflated a chunk at a time, with its exact length."""
    from kubectl_ovn_lsp.serve.http import application

    text = json.dumps({"kind": "Audit", "items": [{"n": i, "pad": "x" * 100} for i in range(30000)]}).encode()
    state = State()
    state.update(document=AuditJson.pack(text))
    assert len(state.snapshot.document.gzip) < len(text) // 10  # type: ignore[union-attr]
    app = application(state, registry=None)  # type: ignore[arg-type]

    def get(accept: str | None) -> tuple[dict[str, str], list[bytes]]:
        headers: dict[str, str] = {}
        environ = {"PATH_INFO": "/audit", "REQUEST_METHOD": "GET"}
        if accept is not None:
            environ["HTTP_ACCEPT_ENCODING"] = accept
        body = list(app(environ, lambda status, given: headers.update(given, status=status)))
        return headers, body

    for accept in ("gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*"):
        headers, body = get(accept)
        assert headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding", accept
        assert gzip.decompress(b"".join(body)) == text and headers["Content-Length"] == str(len(b"".join(body)))
    for accept in (None, "", "identity", "gzip;q=0", "deflate, br", "*;q=0", "gzip;q=0, *"):
        headers, body = get(accept)
        assert "Content-Encoding" not in headers, accept
        assert b"".join(body) == text and headers["Content-Length"] == str(len(text))
        assert len(body) > 1 and max(len(chunk) for chunk in body) <= 1 << 20  # never the whole JSON at once
