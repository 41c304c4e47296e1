"""Changes to a running sandbox, made the way a node makes them: a container prints a line, a container restarts.

- `append_log`: the container prints a line; the runtime appends it to the container's CRI log file stamped with
  the moment it is written (container_logs.append_line). The next `GET …/log` serves it.
- `restart_container`: the kubelet restarts a container: its log becomes the previous log (one is kept), a new
  empty log starts, and the pod's status says so (`restartCount` + 1, a new `containerID`, `state.running.startedAt`
  now, `lastState.terminated`). The status change is written to the live file (`live.json` in the state
  directory), which the API server applies to the pod when the file changes (`apply_live`), with a new
  `resourceVersion`, as a status update from the kubelet would be.

NB changes need nothing here: tests and users transact on the sandbox's real `ovsdb-server` (state `nb.remotes`).
State: `state.json` `logs` maps each log key `<ns>/<pod>/<container>` to its files and restart count.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ovn_lsp_sandbox import container_logs

LIVE_FILE = "live.json"


class LiveError(ValueError):
    """The key names no container log of this sandbox."""


def _state(state_dir: Path) -> dict[str, Any]:
    return json.loads((state_dir / "state.json").read_text())


def _entry(state: dict[str, Any], key: str) -> tuple[str, dict[str, Any]]:
    logs = state.get("logs") or {}
    if key in logs:
        return key, logs[key]
    matches = [k for k in logs if k.startswith(key + "/")]  # `<ns>/<pod>`: the pod's only logged container
    if len(matches) == 1:
        return matches[0], logs[matches[0]]
    known = ", ".join(sorted(logs)) or "none"
    raise LiveError(f"no container log {key!r} in this sandbox (known: {known})")


def append_log(state_dir: Path, key: str, lines: list[str], now: datetime | None = None) -> list[str]:
    """Append `lines` to the current log of container `key` (`<ns>/<pod>[/<container>]`); returns the CRI lines."""
    _, entry = _entry(_state(state_dir), key)
    when = now or datetime.now(timezone.utc)
    return [container_logs.append_line(Path(entry["current"]), line, when) for line in lines]


def restart_container(state_dir: Path, key: str, now: datetime | None = None) -> int:
    """Restart container `key`: rotate its log and record the new status; returns the new restart count."""
    state = _state(state_dir)
    full, entry = _entry(state, key)
    when = now or datetime.now(timezone.utc)
    container_logs.rotate(Path(entry["current"]), Path(entry["previous"]))
    entry["restartCount"] = int(entry.get("restartCount") or 0) + 1
    live_path = state_dir / LIVE_FILE
    live = json.loads(live_path.read_text()) if live_path.exists() else {"containers": {}}
    previous = live["containers"].get(full, {})
    live["containers"][full] = {
        "restartCount": entry["restartCount"],
        "startedAt": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "lastStartedAt": previous.get("startedAt", ""),
        "containerID": "containerd://" + hashlib.sha256(f"{full}/{entry['restartCount']}".encode()).hexdigest(),
    }
    _write_atomic(live_path, live)
    _write_atomic(state_dir / "state.json", state)
    return int(entry["restartCount"])


def _write_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    os.replace(tmp, path)


def apply_live(pod: dict[str, Any], container: str, record: dict[str, Any]) -> dict[str, Any]:
    """A copy of `pod` whose status for `container` says what `record` (from the live file) says."""
    out = copy.deepcopy(pod)
    statuses = out.setdefault("status", {}).setdefault("containerStatuses", [])
    status = next((s for s in statuses if s.get("name") == container), None)
    if status is None:
        status = {"name": container, "ready": True, "started": True}
        statuses.append(status)
    old_started = record.get("lastStartedAt") or ((status.get("state") or {}).get("running") or {}).get("startedAt")
    status["restartCount"] = int(record["restartCount"])
    status["containerID"] = record["containerID"]
    status["state"] = {"running": {"startedAt": record["startedAt"]}}
    status["lastState"] = {
        "terminated": {
            "exitCode": 1,
            "reason": "Error",
            "startedAt": old_started or record["startedAt"],
            "finishedAt": record["startedAt"],
        }
    }
    return out
