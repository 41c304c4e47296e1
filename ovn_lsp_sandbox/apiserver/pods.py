"""Pod subresource rules shared by `log` and `exec`: container defaulting and the apiserver's 400 messages."""

from __future__ import annotations

from typing import Any

from ovn_lsp_sandbox.apiserver import errors


def container_names(pod: dict[str, Any]) -> list[str]:
    spec = pod.get("spec", {})
    return [c.get("name", "") for c in (spec.get("containers") or [])]


def resolve_container(pod: dict[str, Any], container: str) -> str:
    """The container a request addresses, with kube-apiserver's streamLocation errors word for word."""
    name = pod["metadata"]["name"]
    spec = pod.get("spec", {})
    if container:
        every = [
            c.get("name")
            for key in ("containers", "initContainers", "ephemeralContainers")
            for c in (spec.get(key) or [])
        ]
        if container not in every:
            raise errors.bad_request(f"container {container} is not valid for pod {name}")
        return container
    names = container_names(pod)
    if len(names) == 1:
        return names[0]
    if not names:
        raise errors.bad_request(f"a container name must be specified for pod {name}")
    message = f"a container name must be specified for pod {name}, choose one of: [{' '.join(names)}]"
    inits = [c.get("name", "") for c in spec.get("initContainers") or []]
    if inits:
        message += f" or one of the init containers: [{' '.join(inits)}]"
    raise errors.bad_request(message)


def check_exec_target(pod: dict[str, Any], container: str) -> None:
    """Exec needs a scheduled, running pod: the checks the apiserver and kubelet make before upgrading."""
    name = pod["metadata"]["name"]
    if not pod.get("spec", {}).get("nodeName"):
        raise errors.bad_request(f"pod {name} does not have a host assigned")
    phase = pod.get("status", {}).get("phase", "")
    if phase in ("Succeeded", "Failed"):
        raise errors.bad_request(f"cannot exec into a container in a completed pod; current phase is {phase}")
    if phase != "Running":
        raise errors.bad_request(f'unable to upgrade connection: container not found ("{container}")')


def log_text(logs: dict[str, str], pod: dict[str, Any], container: str, params: dict[str, str]) -> str:
    """Scenario log text for `<ns>/<pod>/<container>` (or `<ns>/<pod>`), honouring tailLines and limitBytes;
    `previous=true` reads `<ns>/<pod>/<container>/previous` and, like the kubelet, is a 400 when there is none.
    (sinceSeconds is accepted and not applied: scenario logs carry no kubelet timestamps.)"""
    ns, name = pod["metadata"].get("namespace", ""), pod["metadata"]["name"]
    if params.get("previous") in ("true", "1"):
        previous = logs.get(f"{ns}/{name}/{container}/previous")
        if previous is None:
            raise errors.bad_request(f'previous terminated container "{container}" in pod "{name}" not found')
        text = previous
    else:
        text = logs.get(f"{ns}/{name}/{container}", logs.get(f"{ns}/{name}", ""))
    tail = params.get("tailLines")
    if tail and tail.lstrip("-").isdigit() and int(tail) >= 0:
        lines = text.splitlines(keepends=True)
        text = "".join(lines[len(lines) - int(tail) :]) if int(tail) else ""
    limit = params.get("limitBytes")
    if limit and limit.isdigit():
        text = text.encode()[: int(limit)].decode(errors="ignore")
    return text
