"""Typed options: what the command line asked for, as frozen records (stern's flags → config).

Each option group of the CLI (`cli/groups.py`, `cli/command_groups.py`) builds its record from the parsed flags
and the `Environment`; commands and edges receive them and never see argparse, `os.environ`, `sys.stdout` or
the wall clock: those come in the `Environment` (`environment.py`), which `cli.main` builds once from the
process (tests pass their own). This module imports nothing of the plugin but that, so every layer may use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kubectl_ovn_lsp.environment import Environment as Environment  # where records and the process meet

if TYPE_CHECKING:
    from kubectl_ovn_lsp.deadline import Deadline


@dataclass(frozen=True)
class KubeOptions:
    """Which cluster and namespace, and how long the whole command may take (seconds, None = no limit)."""

    kubeconfig: str | None = None
    context: str | None = None
    namespace: str | None = None  # None: the context's namespace (an explicit -n is a constraint for port names)
    all_namespaces: bool = False
    request_timeout: float | Deadline | None = 10.0  # seconds, or the command's started Deadline; None: no limit
    verbose: bool = False


@dataclass(frozen=True)
class NbOptions:
    """How to reach the OVN NB: `auto`/`exec` through ovn-central, or tcp:/ssl: remotes with TLS files."""

    target: str = "auto"
    private_key: str | None = None
    certificate: str | None = None
    ca_cert: str | None = None
    tls_secret: bool = False
    ovn_namespace: str = "kube-system"
    member_timeout: float = 5.0  # seconds: each NB member's first answer (a tiny probe), --nb-member-timeout


@dataclass(frozen=True)
class ControllerOverrides:
    """Command-line overrides of what the kube-ovn-controller Deployment says (None = detect)."""

    version: str | None = None  # a release (`v1.13.4`) or `master`; None: the Deployment's
    keep_vm_ip: bool | None = None
    enable_external_vpc: bool | None = None
    non_primary_cni_mode: bool | None = None
    by_release: bool = False  # `--kube-ovn-version all` (explain only): the detected release, plus byRelease

    def as_dict(self) -> dict[str, object]:
        """The overrides `settings.settings_from_deployment` takes."""
        return {
            "version": self.version,
            "keep_vm_ip": self.keep_vm_ip,
            "enable_external_vpc": self.enable_external_vpc,
            "non_primary_cni_mode": self.non_primary_cni_mode,
        }


@dataclass(frozen=True)
class OutputOptions:
    """`-o`, `--no-headers`, and whether verdict words are coloured (resolved from --color, NO_COLOR, tty)."""

    format: str = "text"  # text | wide | json | yaml
    no_headers: bool = False
    colour: bool = False


@dataclass(frozen=True)
class CommonOptions:
    """The flags every cluster-facing command takes."""

    kube: KubeOptions = field(default_factory=KubeOptions)
    nb: NbOptions = field(default_factory=NbOptions)
    controller: ControllerOverrides = field(default_factory=ControllerOverrides)
    output: OutputOptions = field(default_factory=OutputOptions)


@dataclass(frozen=True)
class ExplainOptions:
    target: str
    common: CommonOptions = field(default_factory=CommonOptions)
    upgrade_to: str | None = None  # --upgrade-to RELEASE: also replay the owner there and say what changes


@dataclass(frozen=True)
class AuditOptions:
    only: frozenset[str] = frozenset()  # port verdicts to keep (plus `error`); empty = every item
    chunk_size: int = 500
    common: CommonOptions = field(default_factory=CommonOptions)
    upgrade_to: str | None = None  # --upgrade-to RELEASE|all: the upgrade preflight (docs/contracts.md)


@dataclass(frozen=True)
class TriageOptions:
    file: str | None = None  # None: the controller pods' logs; "-": standard input
    since_seconds: int | None = None
    tail: int | None = None
    limit_bytes: int | None = None
    common: CommonOptions = field(default_factory=CommonOptions)
    only: frozenset[str] = frozenset()  # item verdicts to keep; empty = every item


@dataclass(frozen=True)
class ServeOptions:
    """`serve`: where to listen, how often a cycle runs (seconds), where GC log lines come from, the series cap."""

    listen_host: str = ""  # "" = every address
    listen_port: int = 9810
    interval: float = 360.0  # GC's own period (--gc-interval default)
    log_source: str = "pods"  # pods | none
    max_finding_series: int = 1000
    chunk_size: int = 500
    common: CommonOptions = field(default_factory=CommonOptions)


@dataclass(frozen=True)
class VersionOptions:
    output: str = "text"  # text | json | yaml


@dataclass(frozen=True)
class ReasonsOptions:
    output: str = "text"  # text | markdown | json | yaml


@dataclass(frozen=True)
class CompletionOptions:
    shell: str  # install | bash | zsh
    directory: str | None = None  # install: where to write the helper (None: next to the plugin)
    force: bool = False  # install: replace a helper someone else wrote
