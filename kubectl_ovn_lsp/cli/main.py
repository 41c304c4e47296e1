"""Command line: parse, call one command function, render, and map every error to an exit code.

Only argparse and our own light modules are imported at start-up; kubernetes, ovsdbapp, tabulate
and yaml are imported by the command that needs them, so `--help` and completion stay fast.
"""

from __future__ import annotations

import argparse
import os
import sys

from kubectl_ovn_lsp.errors import ExitStatus, PluginError

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` imports typing (~2 ms) on every TAB: completion builds
if TYPE_CHECKING:  # this parser, so this module stays light
    from collections.abc import Callable, Sequence

PROG = "kubectl ovn-lsp"

EXIT_CODES_HELP = """exit codes:
  0  consistent: GC logs nothing for this workload and deletes nothing it needs
  1  could not answer (not found, forbidden, unreachable, timeout, bad kubeconfig)
  2  usage error
  3  lost: a port that should exist is missing from NB
  4  false-positive: GC logs "lsp lost" but every port the workload has is present
  5  deletion-risk: GC will delete a port that the workload still needs
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


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def _positive_seconds(text: str) -> float:
    try:
        value = float(text.rstrip("s"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _nb_target(text: str) -> str:
    """auto, exec, or a comma list of tcp:/ssl: remotes all of one scheme (raft members)."""
    if text in ("auto", "exec"):
        return text
    remotes = text.split(",")
    schemes = {r.split(":", 1)[0] for r in remotes}
    if len(schemes) != 1 or not schemes <= {"tcp", "ssl"} or any(r.count(":") < 2 for r in remotes):
        raise argparse.ArgumentTypeError(f"expected auto, exec, or tcp:HOST:PORT[,…] / ssl:HOST:PORT[,…], got {text!r}")
    return text


def _kube_ovn_version(text: str) -> str:
    """A release (`v1.13.4`, `1.13.4`, `v1.12.20-mc`) or `master`; normalised to `vX.Y.Z…`."""
    from kubectl_ovn_lsp.model.versions import parse_version  # pure and light: no I/O imports

    if text in ("master", "main"):
        return text
    if parse_version(text) is None or "/" in text or "@" in text:
        raise argparse.ArgumentTypeError(f"expected a release such as v1.13.4 (or master), got {text!r}")
    return text if text.startswith("v") else f"v{text}"


def _workload(text: str) -> str:
    """`NAME`, or `pod/NAME`, `vm/NAME`, `vmi/NAME` (and the long kind names)."""
    from kubectl_ovn_lsp.kube.resolve import PREFIXES

    prefix, slash, name = text.partition("/")
    if slash and (prefix.lower() not in PREFIXES or not name or "/" in name):
        raise argparse.ArgumentTypeError(f"expected NAME, pod/NAME, vm/NAME or vmi/NAME, got {text!r}")
    if not text:
        raise argparse.ArgumentTypeError("a name is required")
    return text


def add_kube_flags(parser: argparse.ArgumentParser) -> None:
    """The kubectl flags every cluster-facing subcommand takes."""
    parser.add_argument("-n", "--namespace",
                        help="namespace of the workload (default: the context's namespace, else default)")
    parser.add_argument("--context", help="kubeconfig context to use (default: the current context)")
    parser.add_argument("--kubeconfig", metavar="FILE",
                        help="kubeconfig file (default: the files in $KUBECONFIG, else ~/.kube/config)")
    parser.add_argument("--request-timeout", type=_positive_seconds, default=10.0, metavar="SECONDS",
                        help="bound for every API call and the NB query (default: 10)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print each Kubernetes request and the exact NB query on stderr")


def add_output_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", choices=("text", "wide", "json", "yaml"), default="text",
                        help="text: header, table and advice; wide: more columns; json/yaml: the stable document")
    parser.add_argument("--no-headers", action="store_true",
                        help="print the table rows only (no header block, column names or advice)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour verdict words (auto: on a terminal unless NO_COLOR is set)")


def build_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description="Explain Kube-OVN logical switch ports (LSPs) and the GC's \"lsp lost\" lines "
        "for pods and KubeVirt VMs, per Kube-OVN release. Read-only.",
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    from kubectl_ovn_lsp.commands.version import VersionAction

    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    _add_explain(sub)
    _add_reference_commands(sub)
    return parser


def _add_reference_commands(sub: argparse._SubParsersAction) -> None:
    """version, reasons, completion: local commands that never talk to a cluster."""
    version = sub.add_parser("version", help="print the plugin version and the Kube-OVN releases it knows",
                             description="Print `kubectl ovn-lsp vX.Y.Z` and the Kube-OVN release bands the model "
                             "replays.", formatter_class=HelpFormatter)
    version.set_defaults(handler="kubectl_ovn_lsp.commands.version:run")
    reasons = sub.add_parser("reasons", help="list every verdict and reason code with its meaning",
                             description="Every verdict (with its exit code) and every reason code, one line each.",
                             formatter_class=HelpFormatter)
    reasons.add_argument("-o", "--output", choices=("text", "markdown", "json", "yaml"), default="text",
                         help="text: two aligned tables; markdown: as in the README; json/yaml: the same as data")
    reasons.set_defaults(handler="kubectl_ovn_lsp.commands.reasons:run")
    completion = sub.add_parser(
        "completion", help="set up shell completion (install the kubectl helper, or print a bash/zsh script)",
        description="install: write the kubectl_complete-ovn_lsp helper that kubectl runs for "
        "`kubectl ovn-lsp <TAB>` (needed after a krew install) next to the plugin, or into --dir. "
        "bash|zsh: print a completion script for running kubectl-ovn_lsp directly.",
        epilog="examples:\n  kubectl ovn-lsp completion install\n  source <(kubectl completion bash)   "
        "# kubectl's own completion, once per shell\n  source <(kubectl-ovn_lsp completion zsh)",
        formatter_class=HelpFormatter)
    completion.add_argument("shell", choices=("install", "bash", "zsh"),
                            help="install the helper, or print the script for bash or zsh")
    completion.add_argument("--dir", help="where install writes the helper (default: the plugin's directory)")
    completion.add_argument("--force", action="store_true", help="replace an existing helper")
    completion.set_defaults(handler="kubectl_ovn_lsp.cli.completion_setup:run")


def _add_explain(sub: argparse._SubParsersAction) -> None:
    explain = sub.add_parser(
        "explain",
        help="explain the ports of one pod or VM and what Kube-OVN's GC does with them",
        description="Resolve a pod or VirtualMachine, derive its LSP names as Kube-OVN does, look them up "
        "in the OVN NB DB and explain, for the running Kube-OVN release, whether GC's \"lsp lost\" "
        "is a false positive, a real loss, or a deletion risk.",
        epilog="examples:\n  kubectl ovn-lsp explain vm-a -n test-ns\n"
        "  kubectl ovn-lsp explain pod/virt-launcher-vm-a-x7k2p -n test-ns -o json\n"
        "  kubectl ovn-lsp explain vm-a -n test-ns --nb tcp:10.0.0.5:6641 --kube-ovn-version v1.13.6\n\n"
        + EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    explain.add_argument("target", metavar="[pod/|vm/|vmi/]NAME", type=_workload,
                         help="a VirtualMachine, VirtualMachineInstance or Pod (unprefixed: VM, then VMI, then pod)")
    add_kube_flags(explain)
    explain.add_argument("-A", "--all-namespaces", action="store_true",
                         help="find NAME in any namespace (it must be unique); overrides -n")
    nb = explain.add_argument_group("OVN Northbound DB")
    nb.add_argument("--nb", default="auto", type=_nb_target, metavar="auto|exec|REMOTE",
                    help="exec: read-only query in the ovn-central pod (auto = exec); "
                    "tcp:H:P[,tcp:H:P…] or ssl:…: connect directly (raft members allowed)")
    nb.add_argument("--nb-private-key", metavar="FILE",
                    help="client private key for an ssl: --nb (default: none; see --nb-tls-secret)")
    nb.add_argument("--nb-certificate", metavar="FILE",
                    help="client certificate for an ssl: --nb (default: none; see --nb-tls-secret)")
    nb.add_argument("--nb-ca-cert", metavar="FILE",
                    help="CA certificate that signed the NB server's certificate (default: none)")
    nb.add_argument("--nb-tls-secret", action="store_true",
                    help="take the ssl: client key/cert/CA from Secret kube-ovn-tls in the OVN namespace")
    nb.add_argument("--ovn-namespace", default=None,
                    help="namespace of ovn-central and kube-ovn-controller (default $KUBE_OVN_NS or kube-system)")
    kube_ovn = explain.add_argument_group(
        "Kube-OVN controller (default: detected from the kube-ovn-controller Deployment)")
    detected = "(default: detected from the kube-ovn-controller Deployment)"
    kube_ovn.add_argument("--kube-ovn-version", metavar="vX.Y.Z", type=_kube_ovn_version,
                          help=f"replay this release's GC (`kubectl ovn-lsp version` lists them) {detected}")
    kube_ovn.add_argument("--keep-vm-ip", type=_bool, metavar="true|false",
                          help=f"the controller's --keep-vm-ip: ports named after the VM {detected}")
    kube_ovn.add_argument("--enable-external-vpc", type=_bool, metavar="true|false",
                          help=f"the controller's --enable-external-vpc: which ports GC lists {detected}")
    kube_ovn.add_argument("--non-primary-cni-mode", type=_bool, metavar="true|false",
                          help=f"the controller's --non-primary-cni-mode {detected}")
    add_output_flags(explain)
    explain.set_defaults(handler="kubectl_ovn_lsp.commands.explain:run")


def _load_handler(spec: str) -> Callable[[argparse.Namespace], int]:
    import importlib

    module, _, function = spec.partition(":")
    return getattr(importlib.import_module(module), function)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `kubectl-ovn_lsp`; returns the exit status instead of raising."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["__complete"]:  # the completion protocol, for the helper `completion install` writes
        from kubectl_ovn_lsp.cli.complete import main as complete

        return complete(words[1:])
    parser = build_parser()
    if not words:  # like kubectl: a bare command prints its help
        parser.print_help()
        return int(ExitStatus.OK)
    try:
        args = parser.parse_args(words)
    except SystemExit as exc:
        return int(exc.code or 0)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return int(ExitStatus.OK)
    try:
        return int(_load_handler(args.handler)(args))
    except PluginError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return int(exc.exit_status)
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return int(ExitStatus.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitStatus.OK)
    except Exception as exc:  # the promise is one line, never a traceback
        if os.environ.get("KUBECTL_OVN_LSP_TRACEBACK"):
            raise
        sys.stderr.write(f"error: internal error: {type(exc).__name__}: {' '.join(str(exc).split())} "
                         "(set KUBECTL_OVN_LSP_TRACEBACK=1 for details)\n")
        return int(ExitStatus.ERROR)


if __name__ == "__main__":
    raise SystemExit(main())
