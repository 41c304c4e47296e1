"""A kubeconfig for the sandbox: what kubectl, the Python client and the plugin read to reach the API server."""

from __future__ import annotations

import base64
from typing import Any


def build_kubeconfig(
    url: str, token: str = "", ca_pem: str = "", namespace: str = "default", name: str = "sandbox"
) -> dict[str, Any]:
    """One cluster/user/context named `name`; https needs `ca_pem` (embedded as certificate-authority-data)."""
    cluster: dict[str, Any] = {"server": url}
    if url.startswith("https://"):
        if ca_pem:
            cluster["certificate-authority-data"] = base64.b64encode(ca_pem.encode()).decode()
        else:
            cluster["insecure-skip-tls-verify"] = True
    user: dict[str, Any] = {"token": token} if token else {}
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "clusters": [{"name": name, "cluster": cluster}],
        "users": [{"name": f"{name}-user", "user": user}],
        "contexts": [{"name": name, "context": {"cluster": name, "user": f"{name}-user", "namespace": namespace}}],
        "current-context": name,
    }
