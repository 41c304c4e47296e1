"""What the kubelet adds to the API server's answers: container logs, and container restarts in pod status.

`ContainerLogs` finds a container's log (a CRI file the sandbox writes, read on every request so appended lines
show at once, or scenario text turned into one in memory) and serves it with the kubelet's rules
(`container_logs.query`/`read`). `LiveStatus` applies the restarts the sandbox records (`ovn_lsp_sandbox/live.py`)
to the pods in the store when the live file changes, as the kubelet's status updates would.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any

from ovn_lsp_sandbox import container_logs
from ovn_lsp_sandbox.apiserver import errors
from ovn_lsp_sandbox.apiserver.store import ObjectStore
from ovn_lsp_sandbox.live import apply_live


class ContainerLogs:
    """Log sources by key `<ns>/<pod>[/<container>][/previous]`: files first, else texts (converted once)."""

    def __init__(self, texts: dict[str, str], files: dict[str, str], started: datetime) -> None:
        self._texts = {key: container_logs.cri_text(text, started) for key, text in texts.items()}
        self._files = dict(files)

    def data(self, key: str) -> str | None:
        """The CRI content of `key`, or None when there is no such log (a previous log before any restart)."""
        path = self._files.get(key)
        if path is not None:
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    return handle.read()
            except FileNotFoundError:
                return None
        return self._texts.get(key)

    def serve(self, pod: dict[str, Any], container: str, params: dict[str, str], now: datetime) -> str:
        """The log text for one request: 422/400 for bad options (the API server), 400 for a missing previous log
        (the kubelet), else the kubelet's reading of the file."""
        ns, name = pod["metadata"].get("namespace", ""), pod["metadata"]["name"]
        try:
            options = container_logs.query(params, name, now)
        except container_logs.BadLogOptions as exc:
            if exc.code == 422:
                raise errors.invalid("PodLogOptions", name, str(exc), exc.causes) from None
            raise errors.bad_request(str(exc)) from None
        if options.previous:
            data = self.data(f"{ns}/{name}/{container}/previous")
            if data is None:
                raise errors.bad_request(f'previous terminated container "{container}" in pod "{name}" not found')
        else:
            data = self.data(f"{ns}/{name}/{container}")
            if data is None:
                data = self.data(f"{ns}/{name}") or ""
        return container_logs.read(data, options)


class LiveStatus:
    """Container restarts from the sandbox's live file, applied to the store whenever the file changes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._seen: int | None = None

    def refresh(self, store: ObjectStore) -> None:
        if not self.path:
            return
        try:
            stamp = os.stat(self.path).st_mtime_ns
        except FileNotFoundError:
            return
        if stamp == self._seen:
            return
        self._seen = stamp
        with open(self.path, encoding="utf-8") as handle:
            live = json.load(handle)
        pods = store.registry.lookup("", "v1", "pods")
        assert pods is not None
        for key, record in (live.get("containers") or {}).items():
            ns, name, container = key.split("/", 2)
            try:
                pod = store.get(pods, ns, name)
            except errors.ApiError:
                continue  # a pod the scenario does not hold: nothing to show
            store.replace(pods, apply_live(pod, container, record))
