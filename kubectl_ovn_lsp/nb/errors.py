"""What the NB edge raises: one typed hierarchy under `NbError`, no exit codes (the CLI maps them,
`cli/exit_status.py`).

Like ovsdbapp's `exceptions` module: a class-level %-template per failure (`errors.PluginError`). Two levels:
- what the user sees: `NbUnavailable` (the read failed at an endpoint, with why), `OvnCentralNotFound` (no pod to
  exec into), `NbTlsMaterial` (client TLS files or Secret unusable);
- what a backend raises on the way (`NbQueryError` from the reply parser, the `NbDirectError` family from a
  remote), which `nb/direct.py` and `nb/exec.py` turn into `NbUnavailable` naming the endpoint. Their messages are
  whole lines already (positional `message`).
`NbArgvRejected` is deliberately not an `NbError`: a rejected exec argv is the plugin's own bug (an internal
error), never a user's problem.
"""

from __future__ import annotations

from kubectl_ovn_lsp.errors import PluginError


class NbError(PluginError):
    """Base class: the OVN NB database could not be read."""


class NbUnavailable(NbError):
    message = "OVN NB at %(endpoint)s: %(reason)s"


class OvnCentralNotFound(NbError):
    message = (
        'no Running ovn-central pod (label app=ovn-central) in namespace "%(namespace)s"; '
        "set --ovn-namespace or connect directly with --nb tcp:HOST:6641"
    )


class NbTlsMaterial(NbError):
    """The client key, certificate or CA for an `ssl:` remote: flags missing, a file missing, a Secret lacking keys
    (`nb/tls.client_files`)."""


class NbQueryError(NbError):
    """NB answered the query with an error, or its output is not an OVSDB reply (`nb/query.parse_lookup`)."""


class NbDirectError(NbError):
    """Base class of direct-read failures (`--nb tcp:|ssl:`); each message is one line naming the remote(s)."""


class NbUnreachable(NbDirectError):
    """Every remote refused, or none answered within the timeout."""


class NbSslConfigError(NbDirectError):
    """An `ssl:` remote without usable key/certificate/CA files, or a key that does not match its certificate."""


class NbTlsError(NbDirectError):
    """The TLS handshake failed: the server's certificate is not signed by the CA, or it rejected ours."""


class NbSchemaError(NbDirectError):
    """The server has no OVN_Northbound database, or answered the query with an error."""


class NbArgvRejected(ValueError):
    """A command the exec path was asked to run is not the allowlisted read-only query (a bug, not an NbError)."""
