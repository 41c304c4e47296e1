"""The command line's grammar: the subcommands, their help texts (kubectl's conventions) and, per subcommand,
its option group (`command_groups.py`) and its handler (`handlers.py`), bound with `set_defaults`.

Only argparse and our own light modules are imported here; completion walks this parser on every TAB.
"""

from __future__ import annotations

import argparse
import sys

from kubectl_ovn_lsp.cli import handlers
from kubectl_ovn_lsp.cli.command_groups import (
    AuditFlags,
    CompletionFlags,
    ExplainFlags,
    ReasonsFlags,
    ServeFlags,
    TriageFlags,
    VersionFlags,
)
from kubectl_ovn_lsp.cli.exit_status import ExitStatus, exit_codes_help
from kubectl_ovn_lsp.model.targets import target_kinds_text

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` would import typing (~2 ms) on every TAB
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn, Protocol, TypeVar

    from kubectl_ovn_lsp.environment import Environment

    Record = TypeVar("Record", covariant=True)

    class Flags(Protocol[Record]):
        """A command's option group (`command_groups.py`): registers its flags, builds its handler's record."""

        def register(self, parser: argparse.ArgumentParser) -> None: ...

        def record(self, args: argparse.Namespace, env: Environment) -> Record: ...

    SubParsers = argparse._SubParsersAction["Parser"]

PROG = "kubectl ovn-lsp"


EXIT_CODES_HELP = exit_codes_help()  # one source with README's table (cli/exit_status.EXIT_CODES)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Every flag's help ends with its default, as kubectl's does; texts that already say it are left alone."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if not action.option_strings or "default" in text or action.default is argparse.SUPPRESS:
            return text
        if action.nargs == 0:
            return f"{text} (default: {'true' if action.default else 'false'})"
        if action.default is None:
            return text
        return f"{text} (default: %(default)s)"


class Parser(argparse.ArgumentParser):
    """kubectl-style usage errors: `error: …` then a pointer to -h, exit 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(usage_error(self.prog, kubectl_flag_error(message)))
        raise SystemExit(ExitStatus.USAGE)


def kubectl_flag_error(message: str) -> str:
    """argparse's `argument --tail: strconv.ParseInt: parsing "x": invalid syntax` as kubectl words a value its
    flag parser refused: `invalid argument "x" for "--tail" flag: strconv.ParseInt: parsing "x": invalid syntax`
    (`flags.go_int64`; `flags.since`'s `time: invalid duration "…"`); every other message unchanged."""
    from kubectl_ovn_lsp.cli.flags import INVALID_DURATION, PARSE_INT

    flag, sep, reason = message.partition(": ")
    if not (sep and flag.startswith("argument --") and reason.startswith((PARSE_INT, INVALID_DURATION))):
        return message
    value = reason[reason.index('"') + 1 : reason.rindex('"')]
    return f'invalid argument "{value}" for "{flag.removeprefix("argument ")}" flag: {reason}'


def usage_error(prog: str, message: str) -> str:
    """The two lines of every usage error (exit 2), argparse's and the option groups' (`UsageError`) alike."""
    return f"error: {message}\nSee '{prog} -h' for help and examples.\n"


class VersionAction(argparse.Action):
    """`--version`: the same text as the `version` subcommand, then exit 0 (argparse's own prints only a string)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(
            option_strings,
            dest,
            nargs=0,
            default=argparse.SUPPRESS,
            help="print the plugin version and the Kube-OVN releases it knows, then exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from kubectl_ovn_lsp.cli.render_reference import version_text
        from kubectl_ovn_lsp.commands.version import run

        sys.stdout.write(version_text(run()))
        parser.exit(0)


def add_command(
    sub: SubParsers,
    name: str,
    flags: Flags[Record],
    handler: Callable[[Record, Environment], int],
    *,
    help: str,
    description: str,
    epilog: str | None = None,
) -> None:
    """One subcommand: its texts, its option group's flags, and `set_defaults` binding the group (whose record
    `cli.main` builds from the parsed flags) and the handler that takes that record."""
    parser = sub.add_parser(name, help=help, description=description, epilog=epilog, formatter_class=HelpFormatter)
    flags.register(parser)
    parser.set_defaults(flags=flags, handler=handler)


def build_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description='Explain Kube-OVN logical switch ports (LSPs) and the GC\'s "lsp lost" lines '
        "for pods and KubeVirt VMs, per Kube-OVN release. Read-only.",
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    _add_cluster_commands(sub)
    _add_reference_commands(sub)
    return parser


def _add_cluster_commands(sub: SubParsers) -> None:
    """explain, audit, triage: the GC replay against a cluster and its OVN NB."""
    add_command(
        sub,
        "explain",
        ExplainFlags(),
        handlers.explain,
        help=f"explain the ports of one {target_kinds_text(short=True)} or port name and what Kube-OVN's GC does "
        "with them",
        description=f"Resolve {target_kinds_text()}, or a port name as GC logs it, derive its LSP names as "
        "Kube-OVN does, look them up in the OVN NB DB and explain, for the running Kube-OVN release, whether GC's "
        '"lsp lost" is a false positive, a real loss, or a deletion risk. An owner that no longer exists but '
        "still has ports is explained as an Orphan.",
        epilog="examples:\n  kubectl ovn-lsp explain vm-a -n test-ns\n"
        "  kubectl ovn-lsp explain vm-a.test-ns.subnet-a.test-ns.ovn     # a port name as GC logs it\n"
        "  kubectl ovn-lsp explain node/node2\n"
        "  kubectl ovn-lsp explain pod/virt-launcher-vm-a-x7k2p -n test-ns -o json\n"
        "  kubectl ovn-lsp explain vm-a -n test-ns --nb tcp:10.0.0.5:6641 --kube-ovn-version v1.13.6\n\n"
        + EXIT_CODES_HELP,
    )
    add_command(
        sub,
        "audit",
        AuditFlags(),
        handlers.audit,
        help="replay Kube-OVN's GC over a namespace or the whole cluster and list what it logs and deletes",
        description="List every pod, VM, node, Vip and orphaned port GC reads (paged lists, NB read once), replay "
        "GC for the running Kube-OVN release and report each owner with a verdict other than ok.",
        epilog="examples:\n  kubectl ovn-lsp audit -n test-ns\n  kubectl ovn-lsp audit -A --only lost,deletion-risk\n"
        "  kubectl ovn-lsp audit -A -o json\n\n" + EXIT_CODES_HELP,
    )
    add_command(
        sub,
        "triage",
        TriageFlags(),
        handlers.triage,
        help="read kube-ovn-controller's GC log lines and explain every port they name",
        description="Group the controller's 'lsp lost for pod …' and 'gc logical switch port …' lines per port name "
        "(from every kube-ovn-controller pod, or a saved log), resolve each name to its owner and judge it with the "
        "same replay audit runs: false positive, real loss, already-deleted port a workload needs, or history.",
        epilog="examples:\n  kubectl ovn-lsp triage\n  kubectl ovn-lsp triage --since 1h\n"
        "  kubectl logs -n kube-system deploy/kube-ovn-controller | kubectl ovn-lsp triage -f -\n"
        "  kubectl ovn-lsp triage -f controller.log -o json\n\n" + EXIT_CODES_HELP,
    )
    add_command(
        sub,
        "serve",
        ServeFlags(),
        handlers.serve,
        help="monitor in the cluster: replay GC every --interval and serve Prometheus metrics and alerts' inputs",
        description="Run the audit -A replay and read the controller's new GC log lines every --interval, and serve "
        "the results over HTTP: /metrics (Prometheus: findings per verdict and reason, real losses apart from GC's "
        "false alarms), /healthz, /readyz, /audit (the latest Audit document). A failing cycle is counted and "
        "retried, never the end of the process; SIGTERM ends it (exit 0). Read-only, like every command.",
        epilog="examples:\n  kubectl ovn-lsp serve\n  kubectl ovn-lsp serve --listen 127.0.0.1:9810 --interval 1m\n"
        "  kubectl ovn-lsp serve --nb tcp:10.0.0.5:6641 --request-timeout 5m\n\n"
        "exit codes:\n  0  stopped by SIGTERM or SIGINT\n  1  the --listen address cannot be bound\n  2  usage error\n",
    )


def _add_reference_commands(sub: SubParsers) -> None:
    """version, reasons, completion: local commands that never talk to a cluster."""
    add_command(
        sub,
        "version",
        VersionFlags(),
        handlers.version,
        help="print the plugin version and the Kube-OVN releases it knows",
        description="Print `kubectl ovn-lsp vX.Y.Z` and the Kube-OVN release bands the model replays; -o json|yaml "
        "prints them as data with the Python version, as `kubectl version -o json|yaml` does.",
    )
    add_command(
        sub,
        "reasons",
        ReasonsFlags(),
        handlers.reasons,
        help="list every verdict and reason code with its meaning",
        description="Every verdict (with its exit code) and every reason code, one line each.",
    )
    add_command(
        sub,
        "completion",
        CompletionFlags(),
        handlers.completion,
        help="set up shell completion (install the kubectl helper, or print a bash/zsh script)",
        description="install: write the kubectl_complete-ovn_lsp helper that kubectl runs for "
        "`kubectl ovn-lsp <TAB>` (needed after a krew install) next to the plugin, or into --dir. "
        "bash|zsh: print a completion script for running kubectl-ovn_lsp directly.",
        epilog="examples:\n  kubectl ovn-lsp completion install\n  source <(kubectl completion bash)   "
        "# kubectl's own completion, once per shell\n  source <(kubectl-ovn_lsp completion zsh)",
    )
