"""The root of the plugin's errors and the text safety of the one `error:` line. No exit codes live here.

Each layer raises its own typed errors (`kube/errors.py`, `nb/errors.py`, `commands/errors.py`; the model's
`model/errors.py` stands apart, since the model imports nothing outside itself); the CLI alone maps them to exit
codes (`cli/exit_status.py`). Modelled on ovsdbapp's `OvsdbAppException` and kopf's typed API errors: a
class-level `message` template filled from keyword arguments, so subclasses only set the template, messages stay
uniform, and tests match on the class.
"""

from __future__ import annotations


def _escape_controls(value: str) -> str:
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in value)


def quote_name(text: object) -> str:
    """A user- or object-supplied string made safe inside `"…"` on the one `error:` line: control characters (a
    newline in a name) are escaped as Go's %q would, and so are quotes, so the line can never split."""
    return _escape_controls(str(text)).replace('"', '\\"')


def one_line(text: str) -> str:
    """The last line of defence for every message printed: control characters are shown escaped, never obeyed."""
    return text if text.isprintable() else _escape_controls(text)


class PluginError(Exception):
    """Base class: a one-line message for `error: …` on stderr. `message` is a %-template filled from the keyword
    arguments; a positional `message` is taken as the whole text. What exit code it means is the CLI's business."""

    message = "%(detail)s"

    def __init__(self, message: str | None = None, **kwargs: object) -> None:
        self.kwargs = kwargs
        text = message if message is not None else self.message % kwargs
        super().__init__(text)


class Timeout(PluginError):
    """The command's one time budget (`deadline.Deadline`, `--request-timeout`) ran out; raised by every edge and by
    local steps (`verb` "finish"). `before` names what had taken most of the budget, when that was another step."""

    message = "%(what)s did not %(verb)s within %(seconds)ss (--request-timeout)%(before)s"

    def __init__(self, message: str | None = None, **kwargs: object) -> None:
        kwargs.setdefault("verb", "answer")
        kwargs.setdefault("before", "")
        super().__init__(message, **kwargs)


class OutputError(PluginError):
    """The output stream refused a write (`ENOSPC` on /dev/full, `EIO`): named as kubectl names it."""

    message = "write %(stream)s: %(reason)s"
