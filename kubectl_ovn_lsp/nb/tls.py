"""Client TLS material for `--nb ssl:…` (files on the command line, or Secret kube-ovn-tls), and a probe that
names a TLS failure at once.

Why the probe: python-ovs treats a failed handshake like a refused connection and reconnects until the caller
gives up, so a CA that did not sign the server or a client certificate the server does not trust looked like
"did not answer within 10 s"; a key that does not match its certificate raised a bare SSLError. One handshake
with the same files through the standard `ssl` module (same rules as python-ovs: the CA chain is verified, the
host name is not) followed by one JSON-RPC `echo` (TLS 1.3 servers reject a client certificate only after the
handshake) tells which of them it is, in a few milliseconds.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import shutil
import socket
import ssl
import tempfile
from typing import Iterator

from kubectl_ovn_lsp.deadline import Deadline
from kubectl_ovn_lsp.kube.client import SECRETS, KubeClient
from kubectl_ovn_lsp.nb.direct import NbSslFiles, NbTlsError
from kubectl_ovn_lsp.errors import PluginError

TLS_SECRET = "kube-ovn-tls"  # keys as install.sh creates them; mounted at /var/run/tls in Kube-OVN pods


@contextlib.contextmanager
def client_files(args: argparse.Namespace, client: KubeClient, ovn_namespace: str) -> Iterator[NbSslFiles | None]:
    """Yield the key/cert/CA paths for an ssl: remote (None for tcp:); secret material lives in a 0700 temp dir."""
    given = (args.nb_private_key, args.nb_certificate, args.nb_ca_cert)
    if not args.nb.startswith("ssl:") and not any(given) and not args.nb_tls_secret:
        yield None
        return
    if args.nb_tls_secret:
        secret = client.get(SECRETS, TLS_SECRET, ovn_namespace)
        data = secret.get("data") or {}
        missing = [k for k in ("key", "cert", "cacert") if k not in data]
        if missing:
            raise PluginError(f'secret {ovn_namespace}/{TLS_SECRET} has no key(s) {", ".join(missing)}')
        with tempfile.TemporaryDirectory(prefix="ovn-lsp-tls-") as tmp:
            client.deadline.on_hard_stop(lambda: shutil.rmtree(tmp, ignore_errors=True))
            paths = {}
            for key in ("key", "cert", "cacert"):
                path = os.path.join(tmp, key)
                with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as handle:
                    handle.write(base64.b64decode(data[key]))
                paths[key] = path
            yield NbSslFiles(paths["key"], paths["cert"], paths["cacert"])
        return
    if not all(given):
        raise PluginError("ssl: needs --nb-private-key, --nb-certificate and --nb-ca-cert (or --nb-tls-secret)")
    for path in given:
        if not os.path.isfile(path):
            raise PluginError(f"TLS file not found: {path}")
    yield NbSslFiles(*given)


def check_files(files: NbSslFiles) -> ssl.SSLContext:
    """A client context from the key, certificate and CA files; NbTlsError names which file is unusable."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False  # python-ovs checks the CA chain only, not the host name
    try:
        context.load_verify_locations(files.ca_cert)
    except (ssl.SSLError, OSError) as exc:
        raise NbTlsError(f"NB TLS: --nb-ca-cert {files.ca_cert}: not a usable CA certificate "
                         f"({_ssl_words(exc)})") from None
    try:
        context.load_cert_chain(files.certificate, files.private_key)
    except ssl.SSLError as exc:
        if "KEY_VALUES_MISMATCH" in str(exc) or "key values mismatch" in str(exc):
            raise NbTlsError(f"NB TLS: the private key {files.private_key} does not match the certificate "
                             f"{files.certificate}") from None
        raise NbTlsError(f"NB TLS: --nb-certificate {files.certificate} / --nb-private-key {files.private_key}: "
                         f"not a usable certificate and key ({_ssl_words(exc)})") from None
    except OSError as exc:
        raise NbTlsError(f"NB TLS: cannot read the client certificate or key: {exc.strerror or exc}") from None
    return context


def probe(remotes: list[str], files: NbSslFiles, deadline: Deadline) -> None:
    """Raise NbTlsError when a TLS handshake with an `ssl:` remote fails for a reason that waiting cannot fix.
    A remote that refuses, does not answer or answers fine leaves the verdict to the NB reader."""
    context = check_files(files)
    for remote in remotes:
        if not remote.startswith("ssl:"):
            continue
        host, _, port = remote[4:].rpartition(":")
        host = host.strip("[]")
        what = f"TLS handshake with NB {remote}"
        try:
            with deadline.guard(what):
                verdict = _handshake(context, host, int(port), deadline.timeout(what))
        except (OSError, ValueError):
            continue  # refused, unreachable, timed out: the reader says so with the whole remote list
        if verdict is None:
            return
        raise NbTlsError(f"NB {remote}: {verdict}")


def _handshake(context: ssl.SSLContext, host: str, port: int, timeout: float | None) -> str | None:
    """None when the server accepted us and answered `echo`, else the cause in words."""
    with socket.create_connection((host, port), timeout=timeout) as raw:
        try:
            with context.wrap_socket(raw, server_hostname=host) as tls:
                tls.sendall(json.dumps({"id": "ovn-lsp-probe", "method": "echo", "params": []}).encode())
                answer = tls.recv(4096)
        except ssl.SSLCertVerificationError as exc:
            return ("TLS verification failed: the server's certificate is not signed by the CA in --nb-ca-cert "
                    f"({exc.verify_message})")
        except ssl.SSLEOFError:
            return "TLS: the server rejected the client certificate (it closed the connection during the handshake)"
        except ssl.SSLError as exc:
            words = _ssl_words(exc)
            if any(k in words.lower() for k in ("unknown ca", "bad certificate", "certificate required",
                                                 "certificate unknown", "handshake failure", "access denied")):
                return f"TLS: the server rejected the client certificate ({words})"
            return f"TLS failed: {words}"
        except (ConnectionResetError, BrokenPipeError):
            return "TLS: the server closed the connection during the handshake (client certificate rejected?)"
        if not answer:
            return "TLS: the server closed the connection after the handshake (client certificate rejected?)"
    return None


def _ssl_words(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    text = str(reason or exc).replace("_", " ").lower() if reason else str(exc)
    return " ".join(text.split())
