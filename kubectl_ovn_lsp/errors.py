"""User-facing errors. Each carries the exit code of the contract, so the CLI maps them in one place.

Modelled on ovsdbapp's exceptions: a class-level `message` template filled from keyword arguments,
so subclasses only set the template and messages stay consistent and testable.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Exit codes of `kubectl ovn-lsp` (documented in README and docs/contracts.md, "Exit codes")."""

    OK = 0
    ERROR = 1  # could not answer: not found, forbidden, unreachable, timeout, bad kubeconfig
    USAGE = 2
    LOST = 3
    FALSE_POSITIVE = 4
    DELETION_RISK = 5
    DEGRADED = 6
    INTERRUPTED = 130


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
    """Base class: a one-line message for `error: …` on stderr and an exit status."""

    message = "%(detail)s"
    exit_status = ExitStatus.ERROR

    def __init__(self, message: str | None = None, **kwargs: object) -> None:
        self.kwargs = kwargs
        text = message if message is not None else self.message % kwargs
        super().__init__(text)


class NotFound(PluginError):
    message = '%(kind)s "%(name)s" not found in namespace "%(namespace)s"'


class Forbidden(PluginError):
    message = (
        "forbidden: cannot %(verb)s %(resource)s%(where)s (%(server_message)s); ask for RBAC %(verb)s on %(resource)s"
    )


class KubeUnavailable(PluginError):
    message = "cannot reach the Kubernetes API at %(server)s: %(reason)s"


class KubeConfigError(PluginError):
    message = "kubeconfig: %(reason)s"


class NotKubernetesApi(PluginError):
    message = "the server at %(server)s did not answer like a Kubernetes API: %(method)s %(path)s returned %(detail)s"


class KubeApiError(PluginError):
    message = "Kubernetes API %(method)s %(path)s failed: %(code)s %(reason)s"


class Expired(KubeApiError):
    """410 Gone: a list's `continue` token has expired (the pager falls back to one full list)."""


class Timeout(PluginError):
    message = "%(what)s did not answer within %(seconds)ss (--request-timeout)"


class OvnCentralNotFound(PluginError):
    message = (
        'no Running ovn-central pod (label app=ovn-central) in namespace "%(namespace)s"; '
        "set --ovn-namespace or connect directly with --nb tcp:HOST:6641"
    )


class NbUnavailable(PluginError):
    message = "OVN NB at %(endpoint)s: %(reason)s"


class BadInput(PluginError):
    """Objects the plugin cannot make sense of (malformed annotation, missing NAD)."""

    message = "%(detail)s"
