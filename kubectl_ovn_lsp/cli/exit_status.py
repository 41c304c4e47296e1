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
