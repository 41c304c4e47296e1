"""One adapter per subcommand: Namespace → options, run the command, render its document, return the exit code."""

from __future__ import annotations

import argparse

from kubectl_ovn_lsp.cli import convert
from kubectl_ovn_lsp.model.verdicts import exit_code


def explain(args: argparse.Namespace) -> int:
    from kubectl_ovn_lsp.cli import render
    from kubectl_ovn_lsp.commands import explain as command

    env = convert.environment()
    options = convert.explain_options(args, env)
    document = command.run(options, env)
    render.emit(document, options.common.output, env.stdout, render.explanation_text)
    return exit_code(document["verdict"])


def audit(args: argparse.Namespace) -> int:
    import gc

    # ~1M short-lived dicts and no reference cycles: the cyclic collector would only rescan them (a short-lived
    # process frees everything at exit).
    gc.disable()
    from kubectl_ovn_lsp.cli import render, render_audit
    from kubectl_ovn_lsp.commands import audit as command

    env = convert.environment()
    options = convert.audit_options(args, env)
    document = command.run(options, env)
    render.emit(document, options.common.output, env.stdout, render_audit.audit_text)
    code = command.exit_status(document)
    if code == 1:
        env.stderr.write(f"error: {command.error_count(document)} owner(s) could not be judged (verdict error)\n")
    return code


def triage(args: argparse.Namespace) -> int:
    import gc

    gc.disable()  # as for audit: a cluster-wide replay of short-lived, acyclic objects
    from kubectl_ovn_lsp.cli import render, render_triage
    from kubectl_ovn_lsp.commands import triage as command

    env = convert.environment()
    options = convert.triage_options(args, env)
    document = command.run(options, env)
    render.emit(document, options.common.output, env.stdout, render_triage.triage_text)
    if document["summary"]["lines"] == 0:
        older = document["summary"].get("beforeSince") or 0
        window = f", {older} GC lines older than --since" if older else ""
        env.stderr.write(
            "no 'lsp lost' or 'gc logical switch port' line matched"
            f" ({document['summary']['skipped']} other lines{window})\n"
        )
    return exit_code(document["verdict"])
