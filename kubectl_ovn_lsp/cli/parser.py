"""The command line's grammar: subcommands, their flags and help texts (kubectl's conventions).

Only argparse and our own light modules are imported here; completion walks this parser on every TAB.
"""

from __future__ import annotations

import argparse
import sys

from kubectl_ovn_lsp.cli.flags import (
    boolean,
    chunk_size,
    count,
    explain_target,
    kube_ovn_version,
    namespace_name,
    nb_target,
    request_timeout,
    since,
    tail_lines,
    verdict_list,
)
from kubectl_ovn_lsp.errors import ExitStatus

PROG = "kubectl ovn-lsp"


EXIT_CODES_HELP = """exit codes:
  0  consistent: GC logs nothing for this workload and deletes nothing it needs
  1  could not answer (not found, forbidden, unreachable, timeout, bad kubeconfig)
  2  usage error
  3  lost: a port that should exist is missing from NB
  4  false-positive: GC logs "lsp lost" but every port the workload has is present
  5  deletion-risk: GC will delete a port that the workload still needs
  6  degraded: a port GC keeps is not in the state the running release sets for what the workload does now
"""


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

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"error: {message}\nSee '{self.prog} -h' for help and examples.\n")
        raise SystemExit(ExitStatus.USAGE)


def add_kube_flags(parser: argparse.ArgumentParser) -> None:
    """The kubectl flags every cluster-facing subcommand takes."""
    parser.add_argument(
        "-n", "--namespace", help="namespace of the workload (default: the context's namespace, else default)"
    )
    parser.add_argument("--context", help="kubeconfig context to use (default: the current context)")
    parser.add_argument(
        "--kubeconfig", metavar="FILE", help="kubeconfig file (default: the files in $KUBECONFIG, else ~/.kube/config)"
    )
    parser.add_argument(
        "--request-timeout",
        type=request_timeout,
        default=10.0,
        metavar="DURATION",
        help="bound for the whole command, retries included: 10, 10s, 1m; 0 = no limit (default 10s)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print each Kubernetes request and the exact NB query on stderr"
    )


def add_output_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        choices=("text", "wide", "json", "yaml"),
        default="text",
        help="text: header, table and advice; wide: more columns; json/yaml: the stable document",
    )
    parser.add_argument(
        "--no-headers", action="store_true", help="print the table rows only (no header block, column names or advice)"
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour verdict words (auto: on a terminal unless NO_COLOR is set)",
    )


def build_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description='Explain Kube-OVN logical switch ports (LSPs) and the GC\'s "lsp lost" lines '
        "for pods and KubeVirt VMs, per Kube-OVN release. Read-only.",
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    from kubectl_ovn_lsp.commands.version import VersionAction

    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    _add_explain(sub)
    _add_audit(sub)
    _add_triage(sub)
    _add_reference_commands(sub)
    return parser


def _add_reference_commands(sub: argparse._SubParsersAction) -> None:
    """version, reasons, completion: local commands that never talk to a cluster."""
    version = sub.add_parser(
        "version",
        help="print the plugin version and the Kube-OVN releases it knows",
        description="Print `kubectl ovn-lsp vX.Y.Z` and the Kube-OVN release bands the model replays.",
        formatter_class=HelpFormatter,
    )
    version.set_defaults(handler="kubectl_ovn_lsp.commands.version:run")
    reasons = sub.add_parser(
        "reasons",
        help="list every verdict and reason code with its meaning",
        description="Every verdict (with its exit code) and every reason code, one line each.",
        formatter_class=HelpFormatter,
    )
    reasons.add_argument(
        "-o",
        "--output",
        choices=("text", "markdown", "json", "yaml"),
        default="text",
        help="text: two aligned tables; markdown: as in the README; json/yaml: the same as data",
    )
    reasons.set_defaults(handler="kubectl_ovn_lsp.commands.reasons:run")
    completion = sub.add_parser(
        "completion",
        help="set up shell completion (install the kubectl helper, or print a bash/zsh script)",
        description="install: write the kubectl_complete-ovn_lsp helper that kubectl runs for "
        "`kubectl ovn-lsp <TAB>` (needed after a krew install) next to the plugin, or into --dir. "
        "bash|zsh: print a completion script for running kubectl-ovn_lsp directly.",
        epilog="examples:\n  kubectl ovn-lsp completion install\n  source <(kubectl completion bash)   "
        "# kubectl's own completion, once per shell\n  source <(kubectl-ovn_lsp completion zsh)",
        formatter_class=HelpFormatter,
    )
    completion.add_argument(
        "shell", choices=("install", "bash", "zsh"), help="install the helper, or print the script for bash or zsh"
    )
    completion.add_argument("--dir", help="where install writes the helper (default: the plugin's directory)")
    completion.add_argument("--force", action="store_true", help="replace an existing helper")
    completion.set_defaults(handler="kubectl_ovn_lsp.cli.completion_setup:run")


def add_nb_flags(parser: argparse.ArgumentParser) -> None:
    """How to reach the OVN NB and where Kube-OVN runs."""
    nb = parser.add_argument_group("OVN Northbound DB")
    nb.add_argument(
        "--nb",
        default="auto",
        type=nb_target,
        metavar="auto|exec|REMOTE",
        help="exec: read-only query in the ovn-central pod (auto = exec); "
        "tcp:H:P[,tcp:H:P…] or ssl:…: connect directly (raft members allowed)",
    )
    nb.add_argument(
        "--nb-private-key",
        metavar="FILE",
        help="client private key for an ssl: --nb (default: none; see --nb-tls-secret)",
    )
    nb.add_argument(
        "--nb-certificate",
        metavar="FILE",
        help="client certificate for an ssl: --nb (default: none; see --nb-tls-secret)",
    )
    nb.add_argument(
        "--nb-ca-cert", metavar="FILE", help="CA certificate that signed the NB server's certificate (default: none)"
    )
    nb.add_argument(
        "--nb-tls-secret",
        action="store_true",
        help="take the ssl: client key/cert/CA from Secret kube-ovn-tls in the OVN namespace",
    )
    nb.add_argument(
        "--ovn-namespace",
        default=None,
        type=namespace_name,
        help="namespace of ovn-central and kube-ovn-controller (default $KUBE_OVN_NS or kube-system)",
    )


def add_controller_flags(parser: argparse.ArgumentParser) -> None:
    """Overrides of what the kube-ovn-controller Deployment says."""
    kube_ovn = parser.add_argument_group(
        "Kube-OVN controller (default: detected from the kube-ovn-controller Deployment)"
    )
    detected = "(default: detected from the kube-ovn-controller Deployment)"
    kube_ovn.add_argument(
        "--kube-ovn-version",
        metavar="vX.Y.Z|all",
        type=kube_ovn_version,
        help="replay this release's GC (`kubectl ovn-lsp version` lists them; all: every release "
        f"as byRelease) {detected}",
    )
    kube_ovn.add_argument(
        "--keep-vm-ip",
        type=boolean,
        metavar="true|false",
        help=f"the controller's --keep-vm-ip: ports named after the VM {detected}",
    )
    kube_ovn.add_argument(
        "--enable-external-vpc",
        type=boolean,
        metavar="true|false",
        help=f"the controller's --enable-external-vpc: which ports GC lists {detected}",
    )
    kube_ovn.add_argument(
        "--non-primary-cni-mode",
        type=boolean,
        metavar="true|false",
        help=f"the controller's --non-primary-cni-mode {detected}",
    )


def _add_explain(sub: argparse._SubParsersAction) -> None:
    explain = sub.add_parser(
        "explain",
        help="explain the ports of one pod, VM, node or port name and what Kube-OVN's GC does with them",
        description="Resolve a pod, VirtualMachine, node, or a port name as GC logs it, derive its LSP names as "
        "Kube-OVN does, look them up in the OVN NB DB and explain, for the running Kube-OVN release, whether GC's "
        '"lsp lost" is a false positive, a real loss, or a deletion risk. An owner that no longer exists but '
        "still has ports is explained as an Orphan.",
        epilog="examples:\n  kubectl ovn-lsp explain vm-a -n test-ns\n"
        "  kubectl ovn-lsp explain vm-a.test-ns.subnet-a.test-ns.ovn     # a port name as GC logs it\n"
        "  kubectl ovn-lsp explain node/node2\n"
        "  kubectl ovn-lsp explain pod/virt-launcher-vm-a-x7k2p -n test-ns -o json\n"
        "  kubectl ovn-lsp explain vm-a -n test-ns --nb tcp:10.0.0.5:6641 --kube-ovn-version v1.13.6\n\n"
        + EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    explain.add_argument(
        "target",
        metavar="[pod/|vm/|vmi/|node/]NAME|PORT",
        type=explain_target,
        help="a VirtualMachine, VirtualMachineInstance, Pod or node, or a port name "
        "(unprefixed: VM, then VMI, then pod, then port name, then orphaned ports)",
    )
    add_kube_flags(explain)
    explain.add_argument(
        "-A",
        "--all-namespaces",
        action="store_true",
        help="find NAME in any namespace (it must be unique); overrides -n",
    )
    add_nb_flags(explain)
    add_controller_flags(explain)
    add_output_flags(explain)
    explain.set_defaults(handler="kubectl_ovn_lsp.cli.handlers:explain")


def _add_audit(sub: argparse._SubParsersAction) -> None:
    audit = sub.add_parser(
        "audit",
        help="replay Kube-OVN's GC over a namespace or the whole cluster and list what it logs and deletes",
        description="List every pod, VM, node, Vip and orphaned port GC reads (paged lists, NB read once), replay "
        "GC for the running Kube-OVN release and report each owner with a verdict other than ok.",
        epilog="examples:\n  kubectl ovn-lsp audit -n test-ns\n  kubectl ovn-lsp audit -A --only lost,deletion-risk\n"
        "  kubectl ovn-lsp audit -A -o json\n\n" + EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    add_kube_flags(audit)
    audit.add_argument(
        "-A", "--all-namespaces", action="store_true", help="every namespace, plus nodes and ports without a namespace"
    )
    audit.add_argument(
        "--only",
        type=verdict_list,
        metavar="VERDICT[,VERDICT…]",
        help="show only owners with a port of these verdicts (error: owners that could not be judged); "
        "summaries and the exit code still count every owner (default: every owner)",
    )
    audit.add_argument(
        "--chunk-size",
        type=chunk_size,
        default=500,
        metavar="N",
        help="list objects N at a time, like kubectl (default 500; 0: one request per kind)",
    )
    add_nb_flags(audit)
    add_controller_flags(audit)
    add_output_flags(audit)
    audit.set_defaults(handler="kubectl_ovn_lsp.cli.handlers:audit")


def _add_triage(sub: argparse._SubParsersAction) -> None:
    triage = sub.add_parser(
        "triage",
        help="read kube-ovn-controller's GC log lines and explain every port they name",
        description="Group the controller's 'lsp lost for pod …' and 'gc logical switch port …' lines per port name "
        "(from every kube-ovn-controller pod, or a saved log), resolve each name to its owner and judge it with the "
        "same replay audit runs: false positive, real loss, already-deleted port a workload needs, or history.",
        epilog="examples:\n  kubectl ovn-lsp triage\n  kubectl ovn-lsp triage --since 1h\n"
        "  kubectl logs -n kube-system deploy/kube-ovn-controller | kubectl ovn-lsp triage -f -\n"
        "  kubectl ovn-lsp triage -f controller.log -o json\n\n" + EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    add_kube_flags(triage)
    triage.add_argument(
        "-f",
        "--filename",
        dest="file",
        metavar="FILE|-",
        help="read a saved log (kubectl logs, with or without --timestamps; a container runtime "
        "log file; a log store's export) instead of the controller pods; - is standard input "
        "(default: the logs of every kube-ovn-controller pod)",
    )
    triage.add_argument(
        "--since",
        type=since,
        metavar="DURATION",
        help="only lines newer than this (e.g. 30m, 6h), like kubectl logs --since (default: all)",
    )
    triage.add_argument(
        "--tail", type=tail_lines, metavar="N", help="only the last N lines of each log (default: all, -1)"
    )
    triage.add_argument(
        "--limit-bytes", type=count, metavar="N", help="at most N bytes of each log (default: no limit)"
    )
    add_nb_flags(triage)
    add_controller_flags(triage)
    add_output_flags(triage)
    triage.set_defaults(handler="kubectl_ovn_lsp.cli.handlers:triage")
