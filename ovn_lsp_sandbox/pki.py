"""A throw-away PKI for the sandbox NB: one CA, a server and a client certificate, made with `openssl`.

Why: `--nb-ssl` must exercise real mutual TLS (`pssl:` demands a client certificate), like a Kube-OVN install
whose Secret `kube-ovn-tls` holds `cacert`, `cert` and `key`. EC P-256 keys keep generation in tens of ms.
"""

from __future__ import annotations

import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

_DAYS = "3650"
_EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


class PkiError(RuntimeError):
    """openssl failed; the message carries its stderr."""


@dataclass
class SslFiles:
    """Paths of the generated PEM files. The client trio is what Secret `kube-ovn-tls` publishes."""

    cacert: str
    server_cert: str
    server_key: str
    client_cert: str
    client_key: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> SslFiles:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def _openssl(*args: str) -> None:
    proc = subprocess.run(["openssl", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise PkiError(f"openssl {args[0]} failed: {proc.stderr.strip()[-400:]}")


def _issue(pki: Path, name: str, cn: str, ext: str) -> tuple[str, str]:
    """Create key + CSR for `cn` and sign it with the CA; returns (cert, key)."""
    key, csr, cert, extfile = (pki / f"{name}{s}" for s in ("-key.pem", ".csr", "-cert.pem", ".ext"))
    extfile.write_text(ext)
    _openssl("req", "-new", *_EC, "-keyout", str(key), "-out", str(csr), "-subj", f"/CN={cn}")
    _openssl(
        "x509",
        "-req",
        "-in",
        str(csr),
        "-CA",
        str(pki / "cacert.pem"),
        "-CAkey",
        str(pki / "ca-key.pem"),
        "-CAcreateserial",
        "-days",
        _DAYS,
        "-out",
        str(cert),
        "-extfile",
        str(extfile),
    )
    key.chmod(0o600)
    return str(cert), str(key)


def generate_pki(directory: str | Path) -> SslFiles:
    """Write CA, server and client certificates under `directory` (created if missing)."""
    pki = Path(directory)
    pki.mkdir(parents=True, exist_ok=True)
    _openssl(
        "req",
        "-x509",
        *_EC,
        "-keyout",
        str(pki / "ca-key.pem"),
        "-out",
        str(pki / "cacert.pem"),
        "-days",
        _DAYS,
        "-subj",
        "/CN=kube-ovn-sandbox-ca",
    )
    server_cert, server_key = _issue(
        pki, "server", "ovn-nb", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
    )
    client_cert, client_key = _issue(pki, "client", "kube-ovn", "extendedKeyUsage=clientAuth\n")
    return SslFiles(
        cacert=str(pki / "cacert.pem"),
        server_cert=server_cert,
        server_key=server_key,
        client_cert=client_cert,
        client_key=client_key,
    )
