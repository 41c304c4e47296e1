"""kube-ovn-controller logs, as `kubectl logs` reads them: every replica (only the leader runs GC, the others are
usually quiet) and the previous container's log when it restarted and the API still has it.

A replica whose log cannot be read (403, container not started, no previous log) is named in the notes; the
others are still read. Each log is streamed to the caller as it arrives (`consume`), one at a time: memory is a
chunk, not the log (a controller that logged 1 GB costs what a quiet one does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kubectl_ovn_lsp.kube.client import PODS, KubeClient
from kubectl_ovn_lsp.kube.errors import Forbidden, KubeApiError, KubeError, NoControllerPods, NotFound

CONTROLLER = "kube-ovn-controller"
SELECTOR = f"app={CONTROLLER}"


@dataclass
class ControllerLogs:
    sources: list[str] = field(default_factory=list)  # "<ns>/<pod>" (+ " (previous)") whose log was read
    notes: list[str] = field(default_factory=list)


def controller_container(pod: dict[str, Any]) -> tuple[str, int]:
    """(the container whose log is the controller's: `kube-ovn-controller`, else the first; its restartCount)."""
    containers = [c.get("name", "") for c in (pod.get("spec") or {}).get("containers") or []]
    name = CONTROLLER if CONTROLLER in containers else (containers[0] if containers else CONTROLLER)
    restarts = sum(
        int(s.get("restartCount") or 0)
        for s in (pod.get("status") or {}).get("containerStatuses") or []
        if s.get("name") == name
    )
    return name, restarts


def read_controller_logs(
    client: KubeClient,
    namespace: str,
    *,
    since_seconds: int | None = None,
    tail: int | None = None,
    limit_bytes: int | None = None,
    consume: Callable[[str, Iterator[bytes]], None],
) -> ControllerLogs:
    """The logs of every kube-ovn-controller pod (`sinceSeconds`, `tailLines`, `limitBytes` as kubectl passes them),
    each handed to `consume(label, chunks)` as it streams in."""
    pods = client.list(PODS, namespace, label_selector=SELECTOR)
    if not pods:
        raise NoControllerPods(selector=SELECTOR, namespace=namespace)
    out = ControllerLogs()
    query = [
        (k, str(v))
        for k, v in (("sinceSeconds", since_seconds), ("tailLines", tail), ("limitBytes", limit_bytes))
        if v is not None
    ]
    current_failures: list[KubeError] = []
    for pod in sorted(pods, key=lambda p: p["metadata"]["name"]):
        name = pod["metadata"]["name"]
        container, restarts = controller_container(pod)
        for previous in ([True] if restarts else []) + [False]:
            label = f"{namespace}/{name}" + (" (previous)" if previous else "")
            params = query + [("container", container)] + ([("previous", "true")] if previous else [])
            try:
                chunks = client.stream_text(PODS.path(namespace, name, "log"), params)
            except (Forbidden, KubeApiError, NotFound) as exc:
                out.notes.append(f"could not read the log of {label}: {exc}")
                if not previous:
                    current_failures.append(exc)
                continue
            out.sources.append(label)
            consume(label, chunks)
    if not out.sources and current_failures:  # nothing was read: that is no answer, not "no line matched"
        raise current_failures[0]
    return out
