"""What the commands themselves raise (beyond what the edges raise through them): one typed hierarchy under
`CommandError`, no exit codes (the CLI maps them, `cli/exit_status.py`). Class-level %-templates
(`errors.PluginError`)."""

from __future__ import annotations

from kubectl_ovn_lsp.errors import PluginError


class CommandError(PluginError):
    """Base class: the command cannot answer for what the user named."""


class BadInput(CommandError):
    """Objects the plugin cannot make sense of (malformed annotation, missing NAD): a model error met by explain."""

    message = "%(detail)s"


class Ambiguous(CommandError):
    """explain: a port name that more than one existing owner (or orphan key) could hold."""

    message = 'port name "%(port)s" fits several owners: %(owners)s; name one as vm/NAME or pod/NAME with -n'


class NamespaceMismatch(CommandError):
    """explain: a port name whose namespace is not the one given with -n."""

    message = 'port name "%(port)s" belongs to namespace "%(found)s", not "%(given)s" (-n)'


class NotALog(CommandError):
    """triage: the input holds no klog line of the controller."""

    message = (
        "%(source)s holds no kube-ovn-controller log line (klog format, e.g. 'E0319 09:14:58.247743 7 gc.go:430] …')"
    )


class UnreadableFile(CommandError):
    """triage -f: the file (or standard input) cannot be read."""

    message = "cannot read %(source)s: %(reason)s"
