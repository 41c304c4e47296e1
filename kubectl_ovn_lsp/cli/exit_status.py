"""Exit codes of `kubectl ovn-lsp`, and the one table that maps what a command raised to its exit code.

Only the CLI knows exit codes: the edges raise their layer's typed errors (`kube/errors.py`, `nb/errors.py`),
the commands theirs (`commands/errors.py`), the model `model/errors.py`, none with a status; `cli/main.guarded`
looks the exception up here. The codes are documented in README and docs/contracts.md ("Exit codes"); a
verdict's own code (3–6) is part of the verdict vocabulary (`model/verdicts.py`).

The error classes are imported when an error happens, not at import: the parser imports this module, and
completion builds that parser on every TAB.
"""

from __future__ import annotations

from enum import IntEnum

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` would import typing (~2 ms) on every TAB
if TYPE_CHECKING:
    Row = tuple[type[BaseException], "ExitStatus", str | None]


class ExitStatus(IntEnum):
    """The exit codes the CLI itself decides (the verdicts' 3–6 come from `model/verdicts.py`)."""

    OK = 0
    ERROR = 1  # could not answer: not found, forbidden, unreachable, timeout, bad kubeconfig, malformed object
    USAGE = 2
    INTERRUPTED = 130


# Every exit code the commands give: (code, the help's line, README's "Exit codes" row). The one source of both
# lists (`exit_codes_help`, `exit_codes_markdown`; tools/readme_tables.py writes README's table): a verdict's code
# must match `model/verdicts.py` (tests/cli/test_habits.py checks it; the parser does not import the model).
EXIT_CODES: tuple[tuple[int, str, str], ...] = (
    (
        0,
        "consistent: GC logs nothing for this workload and deletes nothing it needs",
        "consistent: GC logs nothing for it and deletes nothing it needs (also `stale` and `no-port` only)",
    ),
    (
        1,
        "could not answer (not found, forbidden, unreachable, timeout, bad kubeconfig); owners that could not "
        "be judged",
        "could not answer: not found, forbidden, unreachable, timeout, bad kubeconfig, out of memory (one "
        "`error: …` line on stderr, also when the plugin could not even start); `audit` or `triage` with no "
        "finding but owners or port names that could not be judged",
    ),
    (2, "usage error", "usage error"),
    (
        3,
        "lost: a port that should exist is missing from NB",
        "`lost`: a port that should exist is missing from NB, or is present on another switch, with another MAC "
        "or with a `port_security` that drops its owner's traffic (PORT1, PORT2, PORT4)",
    ),
    (
        4,
        'false-positive: GC logs "lsp lost" but every port the workload has is present',
        '`false-positive`: GC logs "lsp lost" but every port the workload really has is present',
    ),
    (
        5,
        "deletion-risk: GC will delete a port that the workload still needs",
        "`deletion-risk`: GC will delete (or already deleted) a port that a workload still needs",
    ),
    (
        6,
        "degraded: a port GC keeps is not in the state the running release sets for what the workload does now",
        "`degraded`: a port GC keeps is not in the state the running release sets for what the workload does now "
        "(e.g. a live migration's port without the migration options, a port with other addresses than its "
        "owner's), or GC's delete of a port fails or does nothing",
    ),
    (
        7,
        "leaked: an IP CR outlived its owner and no periodic GC collects it",
        "`leaked`: an IP CR outlived its owner and no periodic GC collects it (its address stays taken)",
    ),
)


def exit_codes_help() -> str:
    """The `exit codes:` block that ends the help of the commands that judge (and the top-level help)."""
    return "exit codes:\n" + "".join(f"  {code}  {text}\n" for code, text, _ in EXIT_CODES)


def exit_codes_markdown() -> str:
    """README's "Exit codes" table."""
    rows = "".join(f"| {code} | {text} |\n" for code, _, text in EXIT_CODES)
    return "| code | meaning |\n|---|---|\n" + rows


def error_table() -> tuple[Row, ...]:
    """What each raised exception means, most specific first: (class, exit status, fixed text of the `error:` line;
    None = the exception's own message, "" = print nothing). Anything not listed is an internal error (exit 1)."""
    from kubectl_ovn_lsp.commands.errors import CommandError
    from kubectl_ovn_lsp.errors import OutputError, PluginError, Timeout
    from kubectl_ovn_lsp.kube.errors import KubeError
    from kubectl_ovn_lsp.model.errors import ModelError
    from kubectl_ovn_lsp.nb.errors import NbError

    return (
        (KubeError, ExitStatus.ERROR, None),  # not found, forbidden, unreachable, bad kubeconfig, not an API
        (NbError, ExitStatus.ERROR, None),  # NB unreachable, no ovn-central pod, TLS material
        (Timeout, ExitStatus.ERROR, None),  # --request-timeout spent, at any edge
        (CommandError, ExitStatus.ERROR, None),  # ambiguous port name, not a log, unreadable file, bad input
        (ModelError, ExitStatus.ERROR, None),  # a malformed object met outside a command's own handling
        (OutputError, ExitStatus.ERROR, None),  # stdout refused the output: `write /dev/stdout: no space left…`
        (PluginError, ExitStatus.ERROR, None),  # the CLI's own (completion install)
        (KeyboardInterrupt, ExitStatus.INTERRUPTED, "interrupted"),
        (BrokenPipeError, ExitStatus.OK, ""),  # `| head` closed the pipe: nothing left to say to anyone
    )


def status_of(exc: BaseException) -> tuple[ExitStatus, str | None] | None:
    """The exit status and fixed text for `exc` (see `error_table`), or None for an internal error."""
    for kind, status, text in error_table():
        if isinstance(exc, kind):
            return status, text
    return None
