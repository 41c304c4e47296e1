"""The request log: one audit.k8s.io/v1 `Event` per request, as kube-apiserver writes with `--audit-log-path`.

Level `Metadata`, stage `ResponseComplete`: who (`user.username`), what (`verb`, `requestURI`, and for resource
requests `objectRef` with `resource`, `subresource`, `namespace`, `name`, `apiGroup`, `apiVersion`) and the answer
(`responseStatus.code`). The verb is the RBAC verb the authorizer checked (RequestInfo: list, watch, get, create
for the exec upgrade, …); a non-resource request carries the lower-case HTTP method. Tests derive the RBAC a
client needs from it (every (verb, resource, namespace) it requested).
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime, timezone
from typing import Any, TextIO


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class AuditLog:
    """Appends one JSON line per request to `path` (line-buffered, so a reader sees whole events)."""

    def __init__(self, path: str) -> None:
        self._handle: TextIO = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 -- kept open
        self._lock = threading.Lock()

    def record(
        self,
        *,
        uri: str,
        verb: str,
        user: str,
        code: int,
        received: datetime,
        object_ref: dict[str, Any] | None,
        source: str,
        agent: str,
    ) -> None:
        event: dict[str, Any] = {
            "kind": "Event",
            "apiVersion": "audit.k8s.io/v1",
            "level": "Metadata",
            "auditID": str(uuid.uuid4()),
            "stage": "ResponseComplete",
            "requestURI": uri,
            "verb": verb,
            "user": {"username": user},
            "sourceIPs": [source] if source else [],
            "userAgent": agent,
        }
        if object_ref is not None:
            event["objectRef"] = object_ref
        event["responseStatus"] = {"metadata": {}, "code": code}
        event["requestReceivedTimestamp"] = _stamp(received)
        event["stageTimestamp"] = _stamp(datetime.now(timezone.utc))
        line = json.dumps(event, separators=(",", ":")) + "\n"
        with self._lock:
            self._handle.write(line)

    def close(self) -> None:
        self._handle.close()
