"""Each command's option group: its flags, and the record its handler takes (`options.py`).

A cluster-facing command's group is a `ClusterFlags`: kubectl's flags, the command's own, then the NB, controller
and output groups (the order of `--help` and of completion), and a record that holds the shared groups' records as
one `CommonOptions`. Local commands (version, reasons, completion) register theirs alone.
Light on purpose, like `groups.py`: records are imported when built.
"""

from __future__ import annotations

import argparse

from kubectl_ovn_lsp.cli.flags import (
    UpgradeTarget,
    chunk_size,
    explain_target,
    interval,
    limit_bytes,
    listen_address,
    positive,
    since,
    tail_lines,
    verdict_list,
)
from kubectl_ovn_lsp.cli.groups import ControllerFlags, KubeFlags, NbFlags, OutputFlags, UsageError
from kubectl_ovn_lsp.model.targets import target_kinds_text, target_metavar

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` would import typing (~2 ms) on every TAB
if TYPE_CHECKING:
    from kubectl_ovn_lsp.environment import Environment
    from kubectl_ovn_lsp.options import (
        AuditOptions,
        CommonOptions,
        CompletionOptions,
        ExplainOptions,
        ReasonsOptions,
        ServeOptions,
        TriageOptions,
        VersionOptions,
    )


class ClusterFlags:
    """A cluster-facing command's groups, in the order `--help` and completion list them: kubectl's flags (with
    -A when `all_namespaces` gives its help), the command's own (`register_own`), the OVN NB, the controller
    overrides (`all` only with `every_release`), the output. A subclass adds its own flags and builds its record
    with `common(args, env)`, the shared groups' records."""

    def __init__(
        self,
        command: str,
        *,
        all_namespaces: str | None = None,
        every_release: bool = False,
        default_timeout: float | None = 10.0,
    ) -> None:
        self.kube = KubeFlags(all_namespaces, default_timeout)
        self.nb = NbFlags()
        self.controller = ControllerFlags(command, every_release)
        self.output = OutputFlags()

    def register(self, parser: argparse.ArgumentParser) -> None:
        self.kube.register(parser)
        self.register_own(parser)
        self.nb.register(parser)
        self.controller.register(parser)
        self.output.register(parser)

    def register_own(self, parser: argparse.ArgumentParser) -> None:
        """The command's own flags, listed after kubectl's."""

    def common(self, args: argparse.Namespace, env: Environment) -> CommonOptions:
        from kubectl_ovn_lsp.options import CommonOptions

        return CommonOptions(
            kube=self.kube.record(args, env),
            nb=self.nb.record(args, env),
            controller=self.controller.record(args, env),
            output=self.output.record(args, env),
        )


class ExplainFlags(ClusterFlags):
    """explain: the target (a workload, node, Vip or port name), -A, and `--kube-ovn-version all`.
    Record: `ExplainOptions`."""

    def __init__(self) -> None:
        super().__init__(
            "explain",
            all_namespaces="find NAME in any namespace (it must be unique); overrides -n, as kubectl's -A does",
            every_release=True,
        )

    def register_own(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "target",
            metavar=target_metavar(),
            type=explain_target,
            help=f"{target_kinds_text()}, or a port name "
            "(unprefixed: VM, then VMI, then pod, then port name, then orphaned ports)",
        )
        parser.add_argument(
            "--upgrade-to",
            metavar="vX.Y.Z",
            type=UpgradeTarget("explain", every_release=False),
            help="also replay this release from the same read and say what changes for the target (exit code: "
            "its worst verdict that gets worse, 0 when none does) (default: no upgrade preflight)",
        )

    def record(self, args: argparse.Namespace, env: Environment) -> ExplainOptions:
        from kubectl_ovn_lsp.options import ExplainOptions

        return ExplainOptions(target=args.target, common=self.common(args, env), upgrade_to=args.upgrade_to)


class AuditFlags(ClusterFlags):
    """audit: -A, --only and --chunk-size. Record: `AuditOptions`. No time limit unless `--request-timeout`
    is given (kubectl's default): how long a cluster-wide read takes grows with the cluster (docs/contracts.md,
    "Time limits")."""

    def __init__(self) -> None:
        super().__init__(
            "audit",
            all_namespaces="every namespace, plus nodes and ports without a namespace; overrides -n, as kubectl's -A "
            "does",
            default_timeout=None,
        )

    def register_own(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--only",
            type=verdict_list,
            metavar="VERDICT[,VERDICT…]",
            help="show only owners with a port of these verdicts (error: owners that could not be judged); "
            "summaries and the exit code still count every owner (default: every owner)",
        )
        parser.add_argument(
            "--chunk-size",
            type=chunk_size,
            default=500,
            metavar="N",
            help="list objects N at a time, like kubectl (default 500; 0: one request per kind)",
        )
        parser.add_argument(
            "--upgrade-to",
            metavar="vX.Y.Z|all",
            type=UpgradeTarget("audit", every_release=True),
            help="upgrade preflight: replay this release too, from the same read, and list the owners whose "
            "verdict changes (exit code: the worst that gets worse, 0 when none does); all: one row per release "
            "branch and the first safe release (default: no upgrade preflight)",
        )

    def record(self, args: argparse.Namespace, env: Environment) -> AuditOptions:
        from kubectl_ovn_lsp.options import AuditOptions

        return AuditOptions(
            only=frozenset(args.only or ()),
            chunk_size=args.chunk_size,
            common=self.common(args, env),
            upgrade_to=args.upgrade_to,
        )


class TriageFlags(ClusterFlags):
    """triage: the log source and window (-f, --since, --tail, --limit-bytes). Record: `TriageOptions`. No time
    limit unless `--request-timeout` is given, as audit (it replays the same cluster-wide read)."""

    def __init__(self) -> None:
        super().__init__("triage", default_timeout=None)

    def register_own(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "-f",
            "--filename",
            dest="file",
            metavar="FILE|-",
            help="read a saved log (kubectl logs, with or without --timestamps; a container runtime "
            "log file; a log store's export) instead of the controller pods; - is standard input "
            "(default: the logs of every kube-ovn-controller pod)",
        )
        parser.add_argument(
            "--since",
            type=since,
            metavar="DURATION",
            help="only lines newer than this (e.g. 30m, 6h), like kubectl logs --since (default: all)",
        )
        parser.add_argument(
            "--tail", type=tail_lines, metavar="N", help="only the last N lines of each log (default: all, -1)"
        )
        parser.add_argument(
            "--limit-bytes", type=limit_bytes, metavar="N", help="at most N bytes of each log (default 0: no limit)"
        )
        parser.add_argument(
            "--only",
            type=verdict_list,
            metavar="VERDICT[,VERDICT…]",
            help="show only port names with these verdicts; the summary and the exit code still count every "
            "name (default: every name)",
        )

    def record(self, args: argparse.Namespace, env: Environment) -> TriageOptions:
        from kubectl_ovn_lsp.options import TriageOptions

        return TriageOptions(
            file=args.file,
            since_seconds=args.since,
            tail=args.tail,
            limit_bytes=args.limit_bytes,
            common=self.common(args, env),
            only=frozenset(args.only or ()),
        )


MIN_CYCLE_BOUND = 10.0  # seconds
_PER_INTERVAL = object()  # serve's --request-timeout when not given: the --interval, at least 10 s (ServeFlags)


class ServeFlags(ClusterFlags):
    """serve: --listen, --interval, --log-source, --max-finding-series, --chunk-size; kubectl's flags without -n
    (serve watches every namespace) and no output group (it answers over HTTP). `--request-timeout` bounds each
    cycle; not given, it is the `--interval` (at least 10 s, explain's bound): a cycle reads the whole cluster,
    which takes longer as it grows (`audit -A` at 30,000 pods ~30 s; a fixed 10 s failed every cycle there), and
    one that outlasts its period is late anyway. Record: `ServeOptions`."""

    def __init__(self) -> None:
        super().__init__("serve")

    def register(self, parser: argparse.ArgumentParser) -> None:
        self.kube.register(parser)
        self.register_own(parser)
        self.nb.register(parser)
        self.controller.register(parser)
        for action in parser._actions:  # argparse has no public way to reword a shared flag's help
            if action.dest == "request_timeout":
                action.default = _PER_INTERVAL  # not a string: argparse passes it through as it is
                action.help = (
                    "bound for each cycle, retries included: 10, 10s, 5m; 0 = no limit (default: the --interval, "
                    "at least 10s)"
                )
            elif action.dest == "namespace":
                action.help = "not taken: serve watches every namespace (default: every namespace)"

    def register_own(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--listen",
            type=listen_address,
            default=("", 9810),
            metavar="HOST:PORT",
            help="where to serve /metrics, /healthz, /readyz and /audit (default :9810, every address)",
        )
        parser.add_argument(
            "--interval",
            type=interval,
            default=360.0,
            metavar="DURATION",
            help="how often a cycle (the audit -A replay and the new controller log lines) runs: 30s, 6m "
            "(default 6m, GC's own period)",
        )
        parser.add_argument(
            "--log-source",
            choices=("pods", "none"),
            default="pods",
            help="pods: count the GC lines of the kube-ovn-controller pods' logs; none: do not read logs "
            "(default pods)",
        )
        parser.add_argument(
            "--max-finding-series",
            type=positive,
            default=1000,
            metavar="N",
            help="at most N ovn_lsp_finding series, the most severe first (default 1000)",
        )
        parser.add_argument(
            "--chunk-size",
            type=chunk_size,
            default=500,
            metavar="N",
            help="list objects N at a time, like kubectl (default 500; 0: one request per kind)",
        )

    def record(self, args: argparse.Namespace, env: Environment) -> ServeOptions:
        from kubectl_ovn_lsp.options import CommonOptions, OutputOptions, ServeOptions

        if args.namespace:
            raise UsageError("argument -n/--namespace: serve watches every namespace; drop -n")
        if args.request_timeout is _PER_INTERVAL:
            args.request_timeout = max(args.interval, MIN_CYCLE_BOUND)
        common = CommonOptions(
            kube=self.kube.record(args, env),
            nb=self.nb.record(args, env),
            controller=self.controller.record(args, env),
            output=OutputOptions(),
        )
        host, port = args.listen
        return ServeOptions(
            listen_host=host,
            listen_port=port,
            interval=args.interval,
            log_source=args.log_source,
            max_finding_series=args.max_finding_series,
            chunk_size=args.chunk_size,
            common=common,
        )


class VersionFlags:
    """version's -o (json/yaml: the Version document, as `kubectl version -o json|yaml`). Record: `VersionOptions`."""

    def register(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            choices=("text", "json", "yaml"),
            default="text",
            help="text: the version and the release bands; json/yaml: the same as data, with the Python version "
            "(plugin, python, kubeOvn {oldest, newest, tags, master, bands}) (default text)",
        )

    def record(self, args: argparse.Namespace, env: Environment) -> VersionOptions:
        from kubectl_ovn_lsp.options import VersionOptions

        return VersionOptions(output=args.output)


class ReasonsFlags:
    """reasons' -o (markdown: the README's table). Record: `ReasonsOptions`."""

    def register(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            choices=("text", "markdown", "json", "yaml"),
            default="text",
            help="text: two aligned tables; markdown: as in the README; json/yaml: the same as data",
        )

    def record(self, args: argparse.Namespace, env: Environment) -> ReasonsOptions:
        from kubectl_ovn_lsp.options import ReasonsOptions

        return ReasonsOptions(output=args.output)


class CompletionFlags:
    """completion's shell (install|bash|zsh), --dir and --force. Record: `CompletionOptions`."""

    def register(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "shell", choices=("install", "bash", "zsh"), help="install the helper, or print the script for bash or zsh"
        )
        parser.add_argument("--dir", help="where install writes the helper (default: the plugin's directory)")
        parser.add_argument("--force", action="store_true", help="replace an existing helper")

    def record(self, args: argparse.Namespace, env: Environment) -> CompletionOptions:
        from kubectl_ovn_lsp.options import CompletionOptions

        return CompletionOptions(shell=args.shell, directory=args.dir, force=bool(args.force))
