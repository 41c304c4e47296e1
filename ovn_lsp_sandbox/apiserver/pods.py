"""Pod subresource rules shared by `log` and `exec`: container defaulting and the apiserver's 400 messages (the
log itself is served by node.ContainerLogs)."""

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
