"""The API server's input: the JSON config the sandbox writes (objects, RBAC denials, logs, token, TLS, exec, the
audit log and the live container state)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ovn_lsp_sandbox.scenario import ForbiddenRule


@dataclass
class ExecTarget:
    """How `kubectl exec` into one pod runs here: extra environment and argv substring rewrites."""

    env: dict[str, str] = field(default_factory=dict)
    rewrite: dict[str, str] = field(default_factory=dict)


@dataclass
class TlsConfig:
    """Server certificate; with no paths the server generates a self-signed one (then `ca` = `cert`)."""

    cert: str = ""
    key: str = ""
    ca: str = ""  # what clients trust; defaults to the cert itself


@dataclass
class ApiServerConfig:
    objects: list[dict[str, Any]] = field(default_factory=list)
    forbidden: list[ForbiddenRule] = field(default_factory=list)
    logs: dict[str, str] = field(default_factory=dict)  # "<ns>/<pod>[/<container>][/previous]" -> text
    # the same keys -> CRI log files (container_logs.py), read on every request: what `sandbox up` writes
    log_files: dict[str, str] = field(default_factory=dict)
    audit_log: str = ""  # a file receiving one audit.k8s.io/v1 Event (JSON line) per request; "" = none
    live_file: str = ""  # container restarts recorded by the sandbox (live.py), applied to pod status when it changes
    token: str = ""  # "" = no authentication
    tls: TlsConfig | None = None
    exec: dict[str, ExecTarget] = field(default_factory=dict)  # "<ns>/<pod>" or "*" -> target
    host: str = "127.0.0.1"
    port: int = 0
    workdir: str = ""  # where generated certificates go; a temp dir when empty
    continue_ttl: float | None = None  # seconds a list `continue` token stays valid (None: until the server stops)
    # path -> (status, content type, body): answered as given, as a misbehaving aggregated API or proxy in front of
    # the API server answers (a list whose `items` is an object, a body that is not JSON); scenario `api.replies`
    replies: dict[str, tuple[int, str, str]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ApiServerConfig:
        """Build from the JSON shape; unknown keys are ignored so the sandbox can grow the file."""
        tls = data.get("tls")
        return cls(
            objects=list(data.get("objects") or []),
            forbidden=[
                ForbiddenRule(**{k: str(v) for k, v in r.items() if k in _RULE_FIELDS})
                for r in data.get("forbidden") or []
            ],
            logs={str(k): str(v) for k, v in (data.get("logs") or {}).items()},
            log_files={str(k): str(v) for k, v in (data.get("log_files") or {}).items()},
            audit_log=str(data.get("audit_log") or ""),
            live_file=str(data.get("live_file") or ""),
            token=str(data.get("token") or ""),
            tls=None if tls is None else TlsConfig(**{k: str(v) for k, v in tls.items() if k in ("cert", "key", "ca")}),
            exec={
                str(k): ExecTarget(env=dict(v.get("env") or {}), rewrite=dict(v.get("rewrite") or {}))
                for k, v in (data.get("exec") or {}).items()
            },
            host=str(data.get("host") or "127.0.0.1"),
            port=int(data.get("port") or 0),
            workdir=str(data.get("workdir") or ""),
            continue_ttl=None if data.get("continue_ttl") is None else float(data["continue_ttl"]),
            replies={
                str(r["path"]): (
                    int(r.get("status", 200)),
                    str(r.get("contentType", "application/json")),
                    str(r["body"]),
                )
                for r in data.get("replies") or []
            },
        )

    @classmethod
    def load(cls, path: str | Path) -> ApiServerConfig:
        return cls.from_dict(json.loads(Path(path).read_text()))


JSON = "application/json"
_RULE_FIELDS = ("verb", "resource", "group", "namespace", "name")


def denied(rules: list[ForbiddenRule], verb: str, resource: str, group: str, namespace: str, name: str) -> bool:
    """True when a rule matches; empty rule fields match anything, and group "core" means the core group."""
    for r in rules:
        rule_group = "" if r.group == "core" else r.group
        if (
            (not r.verb or r.verb == verb)
            and (not r.resource or r.resource == resource)
            and (not r.group or rule_group == group)
            and (not r.namespace or r.namespace == namespace)
            and (not r.name or r.name == name)
        ):
            return True
    return False
