"""What the Kubernetes API answered, as our errors: Status replies (404, 403, 401, 410, other), exec failures,
transport and TLS failures, each one line naming what is missing (kubectl's wording where it has one)."""

from __future__ import annotations

import re
from typing import Any

from kubectl_ovn_lsp.deadline import Deadline
from kubectl_ovn_lsp.kube.errors import (
    Expired,
    Forbidden,
    KubeApiError,
    KubeUnavailable,
    NotFound,
    NotKubernetesApi,
)
from kubectl_ovn_lsp.model import json_text


def status_error(code: int, body: bytes, method: str, path: str, host: str = "") -> Exception:
    """Map a kube-apiserver Status reply to our error types, keeping the server's own message.

    A 404 without a Status body did not come from a Kubernetes API (a proxy, a wrong server URL): saying
    "not found" would send the user looking for a workload that may well exist."""
    try:
        status = json_text.loads(body or b"{}")
    except ValueError:
        status = None
    if not isinstance(status, dict):
        status = {}
    message = squash(str(status.get("message") or ""))
    if code == 404:
        if body and status.get("kind") != "Status":
            return NotKubernetesApi(
                server=host,
                method=method,
                path=path,
                detail="HTTP 404 without a Kubernetes Status (a proxy or a wrong server URL?)",
            )
        return NotFound(message or "not found")
    if code == 403:
        verb, resource, where = forbidden_parts(status, path)
        return Forbidden(verb=verb, resource=resource, where=where, server_message=message or "Forbidden")
    if code == 410:
        return Expired(method=method, path=path, code=code, reason=message or "Expired")
    if code == 401:
        return KubeApiError(
            method=method, path=path, code=code, reason="Unauthorized: check the kubeconfig credentials"
        )
    return KubeApiError(method=method, path=path, code=code, reason=message or status.get("reason") or "")


def forbidden_parts(status: dict[str, Any], path: str) -> tuple[str, str, str]:
    details = status.get("details") or {}
    parts = path.strip("/").split("/")
    namespace = parts[parts.index("namespaces") + 1] if "namespaces" in parts else ""
    is_exec = path.endswith("/exec")
    is_log = path.endswith("/log")
    resource = "pods/exec" if is_exec else "pods/log" if is_log else details.get("kind") or parts[-1]
    group = details.get("group") or ""
    if group and not (is_exec or is_log):
        resource = f"{resource}.{group}"
    verb = "create" if is_exec else ("get" if details.get("name") or is_log else "list")
    where = f' in namespace "{namespace}"' if namespace else ""
    return verb, resource, where


def exec_error(exc: Any, namespace: str, pod: str, deadline: Deadline, host: str) -> Exception:
    """The Python client reports a refused upgrade as status 0 with the HTTP status and the Status
    JSON only inside `reason` ("Handshake status 403 Forbidden … {"kind":"Status",…}")."""
    reason = str(getattr(exc, "reason", exc))
    lowered = reason.lower()
    handshake = re.search(r"Handshake status (\d{3})", reason)
    if handshake:
        start = reason.find('{"kind"')
        body = reason[start : reason.rfind("}") + 1].encode() if start >= 0 else b""
        return status_error(
            int(handshake.group(1)), body, "POST", f"/api/v1/namespaces/{namespace}/pods/{pod}/exec", host
        )
    if "timed out" in lowered or "timeout" in lowered:
        return deadline.error(f"exec in {namespace}/{pod}")
    if "ssl" in lowered or "certificate" in lowered:
        return KubeUnavailable(server=host, reason=tls_reason(reason))
    if "connection refused" in lowered or "name or service not known" in lowered:
        return KubeUnavailable(server=host, reason=squash(reason))
    return KubeApiError(method="exec", path=f"{namespace}/{pod}", code="-", reason=squash(reason))


def exit_code_from_status(status_text: str, namespace: str, pod: str) -> int:
    """The exit code from the v1 Status on channel 3 (Success, or NonZeroExitCode with a cause)."""
    if not status_text.strip():
        return 0
    try:
        status = json_text.loads(status_text)
    except ValueError:
        import yaml

        try:
            status = yaml.safe_load(status_text)
        except (yaml.YAMLError, RecursionError):
            status = None
    if not isinstance(status, dict):  # the status channel carries a v1 Status: anything else is no answer
        raise KubeApiError(
            method="exec", path=f"{namespace}/{pod}", code="-", reason="the exec status channel held no Status"
        )
    if status.get("status") == "Success":
        return 0
    details = status.get("details")
    for cause in (details.get("causes") or []) if isinstance(details, dict) else []:
        if isinstance(cause, dict) and cause.get("reason") == "ExitCode":
            try:
                return int(cause.get("message", "1"))
            except (TypeError, ValueError):
                break
    raise KubeApiError(
        method="exec",
        path=f"{namespace}/{pod}",
        code=status.get("code", "-"),
        reason=squash(status.get("message") or "exec failed"),
    )


def connection_reason(exc: Exception) -> str:
    text = str(exc)
    for known in ("Connection refused", "Name or service not known", "No route to host", "Network is unreachable"):
        if known in text:
            return known.lower()
    return squash(text)


def tls_reason(text: str) -> str:
    """The cause of a TLS failure in a few words (the client's text repeats itself across lines)."""
    lowered = text.lower()
    if "certificate verify failed" in lowered:
        detail = re.search(r"certificate verify failed: ([^(\]\n]+)", text)
        return "TLS: the server's certificate was not signed by the CA in the kubeconfig" + (
            f" ({detail.group(1).strip()})" if detail else ""
        )
    if "wrong version number" in lowered or "record layer failure" in lowered:
        return "TLS: the server does not speak TLS here (an http:// server?)"
    return "TLS: " + squash(text.replace("SSLError", "").strip())


def squash(text: str) -> str:
    """Whitespace (newlines included) folded to single spaces: server messages become one line."""
    return " ".join(text.split())
