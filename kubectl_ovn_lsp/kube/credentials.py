"""A kubeconfig user's exec credential plugin (`users[].user.exec`), run as kubectl runs it, within the deadline.

Why not the kubernetes package's `ExecProvider`: it waits for the plugin without a timeout (a hanging plugin hangs
the command), logs a failure through the root logger (a stray `ERROR:root:…` line on stderr) and then carries on
unauthenticated, so the user sees a 401 instead of the plugin's own error. Here the plugin runs once before the
kubernetes loader reads the kubeconfig; what it printed is put in place of `exec` (a `token`, or client
certificate and key data), and the loader does the rest as it does for any static credential.

The protocol (client-go `plugin/pkg/client/auth/exec`, the ExecCredential API): the command (a path with a `/`
is relative to the kubeconfig file that defined the user; otherwise looked up on PATH) with `args`, the process
environment plus `env`, and `KUBERNETES_EXEC_INFO` holding an ExecCredential (`spec.interactive: false`: the plugin
gets no terminal, and `spec.cluster` when `provideClusterInfo` is set). It must exit 0 and print an ExecCredential
of the same `apiVersion` whose `status` holds `token`, or `clientCertificateData` and `clientKeyData` (PEM). The
command is short-lived, so `expirationTimestamp` is not needed: a later command runs the plugin again.
Every failure is one `KubeConfigError` naming the plugin and the user; a plugin still running when the budget is
spent is killed and named in the Timeout.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from kubectl_ovn_lsp.errors import quote_name
from kubectl_ovn_lsp.kube.errors import KubeConfigError
from kubectl_ovn_lsp.model import json_text

if TYPE_CHECKING:
    from kubectl_ovn_lsp.deadline import Deadline
    from kubectl_ovn_lsp.kube.kubeconfig import Merged


def _user(merged: Merged, user_name: str | None) -> dict[str, Any] | None:
    entry = merged.entries.get(("users", user_name or ""))
    body = entry[0].get("user") if entry else None
    return body if isinstance(body, dict) else None


def auth_of(merged: Merged, user_name: str | None) -> str:
    """How a credential failure is introduced: `refreshing the OIDC token of user "u" ` (auth-provider), else
    `loading the credentials of user "u" `."""
    user = _user(merged, user_name) or {}
    provider = user.get("auth-provider")
    if isinstance(provider, dict) and provider.get("name"):
        kind = "OIDC token" if provider.get("name") == "oidc" else f"{quote_name(provider.get('name'))} token"
        return f'refreshing the {kind} of user "{quote_name(user_name)}" (auth-provider) '
    return f'loading the credentials of user "{quote_name(user_name)}" '


def run_exec_plugin(merged: Merged, user_name: str | None, cluster_name: Any, deadline: Deadline | None) -> None:
    """When the user has `exec`: run it and replace `exec` by what it printed (in the merged tree, in place)."""
    entry = merged.entries.get(("users", user_name or ""))
    user = _user(merged, user_name)
    if entry is None or user is None or "exec" not in user:
        return
    item, path = entry
    spec = user["exec"]
    who = f'the exec credential plugin of user "{quote_name(user_name)}"'
    if not isinstance(spec, dict) or not isinstance(spec.get("command"), str) or not spec["command"]:
        raise KubeConfigError(reason=f"{who}: exec.command must be a non-empty string")
    command = spec["command"]
    who = f'the exec credential plugin "{quote_name(command)}" of user "{quote_name(user_name)}"'
    api_version = spec.get("apiVersion")
    if not isinstance(api_version, str) or not api_version:
        raise KubeConfigError(reason=f"{who}: exec.apiVersion must be set (client.authentication.k8s.io/v1)")
    status = _run(spec, command, api_version, path, _cluster(merged, cluster_name, spec), who, deadline)
    replaced = {k: v for k, v in user.items() if k != "exec"}
    if isinstance(status.get("token"), str) and status["token"]:
        replaced["token"] = status["token"]
    elif isinstance(status.get("clientCertificateData"), str) and isinstance(status.get("clientKeyData"), str):
        replaced["client-certificate-data"] = base64.b64encode(status["clientCertificateData"].encode()).decode()
        replaced["client-key-data"] = base64.b64encode(status["clientKeyData"].encode()).decode()
    else:
        raise KubeConfigError(
            reason=f"{who}: its ExecCredential status has neither a token nor client certificate data"
        )
    item["user"] = replaced


def _cluster(merged: Merged, name: Any, spec: dict[str, Any]) -> dict[str, Any] | None:
    if not spec.get("provideClusterInfo"):
        return None
    entry = merged.entries.get(("clusters", name if isinstance(name, str) else ""))
    body = dict(entry[0].get("cluster") or {}) if entry else {}
    keys = {"server": "server", "certificate-authority-data": "certificate-authority-data"}
    info: dict[str, Any] = {out: body[key] for key, out in keys.items() if key in body}
    for key, out in (("insecure-skip-tls-verify", "insecure-skip-tls-verify"), ("tls-server-name", "tls-server-name")):
        if key in body:
            info[out] = body[key]
    for extension in body.get("extensions") or []:
        if isinstance(extension, dict) and extension.get("name") == "client.authentication.k8s.io/exec":
            info["config"] = extension.get("extension")
    return info


def _run(
    spec: dict[str, Any],
    command: str,
    api_version: str,
    path: str,
    cluster: dict[str, Any] | None,
    who: str,
    deadline: Deadline | None,
) -> dict[str, Any]:
    """The plugin's `status`, or one KubeConfigError / Timeout naming it."""
    if "/" in command and not os.path.isabs(command):
        command = os.path.join(os.path.dirname(os.path.abspath(path)), command)
    args = spec.get("args") or []
    env = dict(os.environ)
    for var in spec.get("env") or []:
        if isinstance(var, dict) and isinstance(var.get("name"), str):
            env[var["name"]] = str(var.get("value", ""))
    info: dict[str, Any] = {"apiVersion": api_version, "kind": "ExecCredential", "spec": {"interactive": False}}
    if cluster is not None:
        info["spec"]["cluster"] = cluster
    env["KUBERNETES_EXEC_INFO"] = json.dumps(info)
    what = who[0].lower() + who[1:]
    timeout = None if deadline is None else deadline.timeout(what, local=True)
    try:
        with deadline.guard(what, local=True) if deadline is not None else nullcontext():
            proc = subprocess.run(
                [command, *(str(a) for a in args)],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                env=env,
                timeout=timeout,
                check=False,
            )
    except subprocess.TimeoutExpired:
        assert deadline is not None
        raise deadline.error(what, local=True) from None
    except FileNotFoundError:
        hint = " ".join(str(spec.get("installHint") or "").split())
        raise KubeConfigError(reason=f"{who}: not found{'; ' + hint if hint else ''}") from None
    except OSError as exc:
        raise KubeConfigError(reason=f"{who}: cannot run it: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        said = _last_line(proc.stderr) or _last_line(proc.stdout)
        raise KubeConfigError(reason=f"{who} failed (exit code {proc.returncode}){': ' + said if said else ''}")
    try:
        document = json_text.loads(proc.stdout)
    except ValueError:
        raise KubeConfigError(reason=f"{who} printed no ExecCredential JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("status"), dict):
        raise KubeConfigError(reason=f"{who} printed an ExecCredential without a status")
    if document.get("apiVersion") != api_version:
        raise KubeConfigError(
            reason=f"{who} answered apiVersion {quote_name(document.get('apiVersion'))}, not {quote_name(api_version)}"
        )
    status: dict[str, Any] = document["status"]
    return status


def _last_line(output: bytes) -> str:
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    return " ".join(lines[-1].split()) if lines else ""
