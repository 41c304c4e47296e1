"""Server certificates: load the sandbox's, or make a self-signed one with the openssl CLI (no extra Python deps)."""

from __future__ import annotations

import ssl
import subprocess
from pathlib import Path

from ovn_lsp_sandbox.apiserver.config import TlsConfig


def generate_self_signed(directory: str | Path, host: str = "127.0.0.1") -> TlsConfig:
    """A P-256 cert valid for `host`, 127.0.0.1 and localhost; CA:TRUE so clients can trust it as its own root.

    Go (kubectl) and OpenSSL (Python) both insist on a subjectAltName for the address they dialled.
    """
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    cert, key = d / "apiserver.crt", d / "apiserver.key"
    sans = {"IP:127.0.0.1", "DNS:localhost", f"IP:{host}" if host.replace(".", "").isdigit() else f"DNS:{host}"}
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "3650",
            "-subj",
            "/CN=sandbox-apiserver",
            "-addext",
            "subjectAltName=" + ",".join(sorted(sans)),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,digitalSignature,keyCertSign",
            "-addext",
            "extendedKeyUsage=serverAuth",
        ],
        check=True,
        capture_output=True,
    )
    key.chmod(0o600)
    return TlsConfig(cert=str(cert), key=str(key), ca=str(cert))


def server_context(tls: TlsConfig) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(tls.cert, tls.key)
    return ctx


def ca_pem(tls: TlsConfig) -> str:
    """The PEM clients should trust: the configured CA, else the server certificate itself."""
    return Path(tls.ca or tls.cert).read_text()
