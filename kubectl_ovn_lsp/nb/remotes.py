"""The remotes of a direct NB read (`--nb tcp:…|ssl:…`, raft member lists) and their client TLS material, checked
and opened by `nb/direct.py` for `nb/transact.py` (one `transact … abort`).

TLS uses the standard `ssl` module (python-ovs does not check the host name either: only the CA chain), which
names each failure at once: server not signed by the CA, client certificate rejected, key not matching the
certificate.
"""

from __future__ import annotations

import os
import ssl as ssl_module
from dataclasses import dataclass

from kubectl_ovn_lsp.nb.errors import NbDirectError, NbSslConfigError


@dataclass(frozen=True)
class NbSslFiles:
    """Client TLS files (from flags or Secret `kube-ovn-tls`: `key`, `cert`, `cacert`)."""

    private_key: str
    certificate: str
    ca_cert: str


def check_remotes(remotes: str, ssl: NbSslFiles | None) -> list[str]:
    """The members of a comma-separated remote list, in the user's order. NbDirectError for a remote that is not
    `tcp:HOST:PORT` or `ssl:HOST:PORT`, NbSslConfigError when an `ssl:` member lacks usable client files."""
    parts = [r.strip() for r in remotes.split(",") if r.strip()]
    if not parts:
        raise NbDirectError("no NB remote given")
    for r in parts:
        if not r.startswith(("tcp:", "ssl:")) or r.count(":") < 2:
            raise NbDirectError(f"unsupported NB remote {r!r}: expected tcp:HOST:PORT or ssl:HOST:PORT")
    if any(r.startswith("ssl:") for r in parts):
        if ssl is None:
            raise NbSslConfigError(f"{remotes}: ssl: remotes need a client key, certificate and CA certificate")
        for what, path in (
            ("private key", ssl.private_key),
            ("certificate", ssl.certificate),
            ("CA certificate", ssl.ca_cert),
        ):
            if not os.path.isfile(path):
                raise NbSslConfigError(f"{remotes}: SSL {what} file {path!r} not found")
    return parts


def tls_context(files: NbSslFiles) -> ssl_module.SSLContext:
    """A client context from the key, certificate and CA files; NbSslConfigError names which file is unusable."""
    context = ssl_module.SSLContext(ssl_module.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False  # OVN certificates name the host by CN only, and python-ovs never checks it
    try:
        context.load_verify_locations(files.ca_cert)
    except (ssl_module.SSLError, OSError) as exc:
        raise NbSslConfigError(
            f"NB TLS: --nb-ca-cert {files.ca_cert}: not a usable CA certificate ({tls_reason(exc)})"
        ) from None
    try:
        context.load_cert_chain(files.certificate, files.private_key)
    except ssl_module.SSLError as exc:
        if "KEY_VALUES_MISMATCH" in str(exc) or "key values mismatch" in str(exc):
            raise NbSslConfigError(
                f"NB TLS: the private key {files.private_key} does not match the certificate {files.certificate}"
            ) from None
        raise NbSslConfigError(
            f"NB TLS: --nb-certificate {files.certificate} / --nb-private-key "
            f"{files.private_key}: not a usable certificate and key ({tls_reason(exc)})"
        ) from None
    except OSError as exc:
        raise NbSslConfigError(f"NB TLS: cannot read the client certificate or key: {exc.strerror or exc}") from None
    return context


def tls_reason(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "reason", None) or exc).split())
