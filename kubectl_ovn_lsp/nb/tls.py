"""Client TLS material for `--nb ssl:…`: files on the command line, or Secret kube-ovn-tls written to a private
temporary directory that is removed afterwards (also when the deadline's watchdog ends the process).

What a TLS failure means is named by the direct readers themselves (`nb/remotes.py`, `nb/transact.py`), which
shake hands with the standard `ssl` module.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator

from kubectl_ovn_lsp.kube.client import SECRETS, KubeClient
from kubectl_ovn_lsp.nb.errors import NbTlsMaterial
from kubectl_ovn_lsp.nb.remotes import NbSslFiles
from kubectl_ovn_lsp.options import NbOptions

TLS_SECRET = "kube-ovn-tls"  # keys as install.sh creates them; mounted at /var/run/tls in Kube-OVN pods


@contextlib.contextmanager
def client_files(options: NbOptions, client: KubeClient) -> Iterator[NbSslFiles | None]:
    """Yield the key/cert/CA paths for an ssl: remote (None for tcp:); secret material lives in a 0700 temp dir."""
    given = (options.private_key, options.certificate, options.ca_cert)
    ovn_namespace = options.ovn_namespace
    if not options.target.startswith("ssl:") and not any(given) and not options.tls_secret:
        yield None
        return
    if options.tls_secret:
        secret = client.get(SECRETS, TLS_SECRET, ovn_namespace)
        data = secret.get("data") or {}
        missing = [k for k in ("key", "cert", "cacert") if k not in data]
        if missing:
            raise NbTlsMaterial(f"secret {ovn_namespace}/{TLS_SECRET} has no key(s) {', '.join(missing)}")
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
    key_file, cert, ca = given
    if key_file is None or cert is None or ca is None:
        raise NbTlsMaterial("ssl: needs --nb-private-key, --nb-certificate and --nb-ca-cert (or --nb-tls-secret)")
    for given_path in (key_file, cert, ca):
        if not os.path.isfile(given_path):
            raise NbTlsMaterial(f"TLS file not found: {given_path}")
    yield NbSslFiles(key_file, cert, ca)
