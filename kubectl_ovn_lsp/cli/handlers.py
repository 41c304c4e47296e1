"""One handler per subcommand: run the command with its record, render the document it returns, return the exit
code. `parser.py` binds each to its subcommand with `set_defaults`; `cli.main` calls it with the record the
subcommand's option group built and the `Environment`.

Imports happen inside each handler: the parser imports this module on every TAB and every `--help`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` would import typing (~2 ms) on every TAB
if TYPE_CHECKING:
    from kubectl_ovn_lsp.environment import Environment
    from kubectl_ovn_lsp.options import (
        AuditOptions,
        CompletionOptions,
        ExplainOptions,
        ReasonsOptions,
        ServeOptions,
        TriageOptions,
        VersionOptions,
    )


def explain(options: ExplainOptions, env: Environment) -> int:
    import gc

    # As for audit: a short-lived process of acyclic objects. Here the collector would rescan what the imports built
    # (kubernetes, the model) and a switch's `ports` (~12,000 UUIDs) at every threshold: ~40 of ~420 ms CPU.
    gc.disable()
    from kubectl_ovn_lsp.cli import render
    from kubectl_ovn_lsp.commands import explain as command
    from kubectl_ovn_lsp.model.verdicts import exit_code

    document = command.run(options, env)
    render.emit(document, options.common.output, env.stdout, render.explanation_text)
    upgrade = document.get("upgrade")
    if upgrade is None:
        return exit_code(document["verdict"])
    if upgrade["verdict"] == "error":
        env.stderr.write(
            f"error: {document['target']['name']} could not be judged at {upgrade['to']} (verdict error)\n"
        )
    return exit_code(upgrade["verdict"])  # --upgrade-to: the worst verdict that gets worse, 0 when none does


def audit(options: AuditOptions, env: Environment) -> int:
    import gc

    # ~1M short-lived dicts and no reference cycles: the cyclic collector would only rescan them (a short-lived
    # process frees everything at exit).
    gc.disable()
    from kubectl_ovn_lsp.cli import render, render_audit
    from kubectl_ovn_lsp.commands import audit as command

    document = command.run(options, env)
    render.emit(document, options.common.output, env.stdout, render_audit.audit_text)
    code = command.exit_status(document)
    if code == 1:
        env.stderr.write(command.error_line(document) + "\n")
    return code


def triage(options: TriageOptions, env: Environment) -> int:
    import gc

    gc.disable()  # as for audit: a cluster-wide replay of short-lived, acyclic objects
    from kubectl_ovn_lsp.cli import render, render_triage
    from kubectl_ovn_lsp.commands import triage as command
    from kubectl_ovn_lsp.model.verdicts import exit_code

    document = command.run(options, env)
    render.emit(document, options.common.output, env.stdout, render_triage.triage_text)
    if document["summary"]["lines"] == 0:
        older = document["summary"].get("beforeSince") or 0
        window = f", {older} GC lines older than --since" if older else ""
        env.stderr.write(
            "no 'lsp lost' or 'gc logical switch port' line matched"
            f" ({document['summary']['skipped']} other lines{window})\n"
        )
    code = exit_code(document["verdict"])
    if code == 1:
        env.stderr.write(command.error_line(document) + "\n")
    return code


def serve(options: ServeOptions, env: Environment) -> int:
    """Runs until SIGTERM/SIGINT (exit 0); exit 1 only when the listen address cannot be bound."""
    import os

    from kubectl_ovn_lsp.serve.monitor import run

    code = run(options, env)
    if env.hard_stop:  # the program itself: leave now, whatever a cycle thread is blocked in
        for stream in (env.stdout, env.stderr):
            stream.flush()
        os._exit(code)
    return code


def version(options: VersionOptions, env: Environment) -> int:
    from kubectl_ovn_lsp.cli.render_reference import version_text
    from kubectl_ovn_lsp.commands.version import run

    document = run()
    if options.output in ("json", "yaml"):
        from kubectl_ovn_lsp.cli.render import dump_structured

        dump_structured(document, options.output, env.stdout)
    else:
        env.stdout.write(version_text(document))
    return 0


def reasons(options: ReasonsOptions, env: Environment) -> int:
    from kubectl_ovn_lsp.cli import render_reference
    from kubectl_ovn_lsp.commands.reasons import run

    document = run()
    if options.output in ("json", "yaml"):
        from kubectl_ovn_lsp.cli.render import dump_structured

        dump_structured(document, options.output, env.stdout)
    elif options.output == "markdown":
        env.stdout.write(render_reference.reasons_markdown(document))
    else:
        env.stdout.write(render_reference.reasons_text(document))
    return 0


def completion(options: CompletionOptions, env: Environment) -> int:
    from kubectl_ovn_lsp.cli import completion_setup

    return completion_setup.run(options, env)
