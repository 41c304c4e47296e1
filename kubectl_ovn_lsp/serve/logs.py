"""The controller's log lines since the previous cycle: every kube-ovn-controller pod (only the leader runs GC),
read with `timestamps=true` and `sinceTime` from each container's cursor (`cursor.py`), the previous container's
log after a restart.

Pods are keyed by uid (a re-created pod of the same name is a new one); cursors of pods that are gone are dropped,
so memory follows the pods that exist. A log that cannot be read (403, a container not started, the kubelet
unreachable) keeps its cursor, so its lines are read by a later cycle, and is named in `failures`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubectl_ovn_lsp.errors import PluginError
from kubectl_ovn_lsp.kube.client import PODS, KubeClient
from kubectl_ovn_lsp.kube.logs import SELECTOR, controller_container
from kubectl_ovn_lsp.serve.cursor import Cursor, new_lines, plan, since_time

CursorKey = tuple[str, str]  # (pod uid, container)


@dataclass
class NewLines:
    """What a cycle read: the lines not counted before (kubelet stamp first), every cursor after the reads,
    the logs that could not be read, and notes (container runs lost between cycles)."""

    lines: list[str] = field(default_factory=list)
    cursors: dict[CursorKey, Cursor | None] = field(default_factory=dict)  # None: seen first, not read yet
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    read: int = 0  # lines that came back, counted or not (the first cycle's history included)


def read_new_lines(
    client: KubeClient, namespace: str, cursors: dict[CursorKey, Cursor | None], *, first_cycle: bool
) -> NewLines:
    """The new lines of every controller container. Raises a PluginError when the pods cannot be listed.

    `cursors` holds None for a container seen on the first cycle whose log could not be read then: its log is
    history when it is read, as on the first cycle."""
    pods = client.list(PODS, namespace, label_selector=SELECTOR)
    out = NewLines()
    for pod in sorted(pods, key=lambda p: p["metadata"]["name"]):
        meta = pod["metadata"]
        container, restarts = controller_container(pod)
        key = (str(meta.get("uid") or f"{namespace}/{meta['name']}"), container)
        label = f"{namespace}/{meta['name']}"
        cursor = cursors.get(key)
        history = first_cycle or (key in cursors and cursor is None)
        steps = plan(cursor, restarts, first_cycle=history)
        if steps.lost_runs:
            out.notes.append(f"{label}: {steps.lost_runs} run(s) of {container} ended between cycles, unread")
        fresh: list[str] = []
        after = cursor
        try:
            for step in steps.reads:
                query = [("container", container), ("timestamps", "true")]
                if step.previous:
                    query.append(("previous", "true"))
                if step.since is not None:
                    query.append(("sinceTime", since_time(step.since)))
                body = client.request_text(PODS.path(namespace, meta["name"], "log"), query)
                lines = body.decode("utf-8", "replace").splitlines()
                out.read += len(lines)
                counted, after = new_lines(lines, step.since, restarts)
                if step.counts:
                    fresh += counted
        except PluginError as exc:
            out.failures.append(f"{label} ({container}): {exc}")
            if cursor is not None or history:
                out.cursors[key] = cursor  # read again from here (or as history) next cycle
            continue
        out.lines += fresh
        if after is not None:
            out.cursors[key] = after
    return out
