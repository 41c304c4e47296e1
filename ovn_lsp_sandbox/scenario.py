"""Scenario records: the Kubernetes objects and NB content one sandbox serves."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ovn_lsp_sandbox.nb_content import SwitchSpec


@dataclass
class ForbiddenRule:
    """A request the sandbox API server answers with 403, as RBAC would. Empty fields match anything."""

    verb: str = ""  # get, list, create (exec is "create" on pods/exec)
    resource: str = ""  # plural, e.g. "virtualmachines", "pods/exec"
    group: str = ""  # "" matches any group; core is "core"
    namespace: str = ""
    name: str = ""


@dataclass
class Scenario:
    name: str
    description: str = ""
    objects: list[dict] = field(default_factory=list)
    logs: dict[str, str] = field(default_factory=dict)  # "<ns>/<pod>[/<container>]" -> text
    forbidden: list[ForbiddenRule] = field(default_factory=list)
    nb_switches: list[SwitchSpec] = field(default_factory=list)
    api: dict = field(default_factory=dict)  # API server behaviour, e.g. {"continueTTLSeconds": 0}
    nb_database_file: Path | None = None  # a standalone NB file (ovsdb-client backup) used instead of nb_switches
    authored_at: str | None = None  # the instant the scenario's times were written at (clock.py); None: a dump
    clock_shift: int = 0  # seconds every time was moved by when loaded (now - authored_at)
