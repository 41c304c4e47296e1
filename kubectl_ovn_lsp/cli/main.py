"""Command line: parse, call one command function, render, and map every error to an exit code.

Only argparse and our own light modules are imported at start-up; kubernetes, ovsdbapp, tabulate
and yaml are imported by the command that needs them, so `--help` and completion stay fast.
"""

from __future__ import annotations

import argparse
import os
import sys

from kubectl_ovn_lsp.cli.flags import namespace_name
from kubectl_ovn_lsp.cli.parser import EXIT_CODES_HELP, PROG, HelpFormatter, Parser, build_parser
from kubectl_ovn_lsp.errors import ExitStatus, PluginError, one_line

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` imports typing (~2 ms) on every TAB: completion builds
if TYPE_CHECKING:  # this parser, so this module stays light
    from collections.abc import Callable, Sequence

__all__ = ["EXIT_CODES_HELP", "PROG", "HelpFormatter", "Parser", "build_parser", "main"]


def _load_handler(spec: str) -> Callable[[argparse.Namespace], int]:
    import importlib

    module, _, function = spec.partition(":")
    return getattr(importlib.import_module(module), function)


def _check_values(args: argparse.Namespace, parser: Parser) -> None:
    """Namespaces that will be used must be valid: `-n` unless `-A` overrides it (as kubectl ignores it), and
    $KUBE_OVN_NS, which stands in for --ovn-namespace."""
    if getattr(args, "namespace", None) and not getattr(args, "all_namespaces", False):
        try:
            namespace_name(args.namespace)
        except argparse.ArgumentTypeError as exc:
            parser.error(f"argument -n/--namespace: {exc}")
    if getattr(args, "kube_ovn_version", None) == "all" and getattr(args, "command", "") != "explain":
        parser.error(f"argument --kube-ovn-version: 'all' (byRelease) is explain's; {args.command} replays one release")
    env = os.environ.get("KUBE_OVN_NS")
    if hasattr(args, "ovn_namespace") and args.ovn_namespace is None and env:
        try:
            namespace_name(env)
        except argparse.ArgumentTypeError as exc:
            parser.error(f"$KUBE_OVN_NS: {exc}")


def start_deadline(args: argparse.Namespace, hard_stop: bool) -> None:
    """Replace the parsed `--request-timeout` seconds by the command's one `Deadline`, started now.

    Commands pass `args.request_timeout` (a Deadline) to `KubeClient.connect` and the NB readers, which all
    take the time that is left from it. `hard_stop`: the watchdog may end the process (only when running as
    the program, never inside a test process)."""
    from kubectl_ovn_lsp.deadline import Deadline

    if hasattr(args, "request_timeout") and not isinstance(args.request_timeout, Deadline):
        args.request_timeout = Deadline(args.request_timeout, hard_stop=hard_stop)


def main(argv: Sequence[str] | None = None, *, hard_stop: bool | None = None) -> int:
    """Entry point of `kubectl-ovn_lsp`; returns the exit status instead of raising.

    `hard_stop` (default: only when argv comes from the command line) lets the deadline's watchdog end a
    process whose network step ignores the time left."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["__complete"]:  # the completion protocol, for the helper `completion install` writes
        from kubectl_ovn_lsp.cli.complete import main as complete

        return complete(words[1:])
    from kubectl_ovn_lsp.model.errors import ModelError

    parser = build_parser()
    if not words:  # like kubectl: a bare command prints its help
        parser.print_help()
        return int(ExitStatus.OK)
    try:
        args = parser.parse_args(words)
        _check_values(args, parser)
    except SystemExit as exc:
        return int(exc.code or 0)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return int(ExitStatus.OK)
    start_deadline(args, argv is None if hard_stop is None else hard_stop)
    try:
        return int(_load_handler(args.handler)(args))
    except PluginError as exc:
        sys.stderr.write(f"error: {one_line(str(exc))}\n")
        return int(exc.exit_status)
    except ModelError as exc:  # a malformed object met outside a command's own handling
        sys.stderr.write(f"error: {one_line(str(exc))}\n")
        return int(ExitStatus.ERROR)
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return int(ExitStatus.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitStatus.OK)
    except Exception as exc:  # the promise is one line, never a traceback
        if os.environ.get("KUBECTL_OVN_LSP_TRACEBACK"):
            raise
        sys.stderr.write(
            f"error: internal error: {type(exc).__name__}: {one_line(' '.join(str(exc).split()))} "
            "(set KUBECTL_OVN_LSP_TRACEBACK=1 for details)\n"
        )
        return int(ExitStatus.ERROR)


if __name__ == "__main__":
    raise SystemExit(main())
