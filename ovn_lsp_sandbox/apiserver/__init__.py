"""A local Kubernetes API server for the sandbox (aiohttp): discovery, get/list, Tables, Status errors, log, exec.

Config (JSON, see config.ApiServerConfig): objects, forbidden rules, logs, token, tls {cert, key, ca} (or {} to
generate a self-signed cert under `workdir`), exec {"<ns>/<pod>": {env, rewrite}}, host, port (0 = free port).
Over plain HTTP kubectl never sends its token, so there a request without Authorization is accepted; over HTTPS
the token is required. Importing this package is cheap (no aiohttp); `start_in_thread` pulls the server in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ovn_lsp_sandbox.apiserver.config import ApiServerConfig, ExecTarget, TlsConfig
from ovn_lsp_sandbox.apiserver.kubeconfig import build_kubeconfig

if TYPE_CHECKING:
    from ovn_lsp_sandbox.apiserver.runner import ServerHandle

__all__ = ["ApiServerConfig", "ExecTarget", "TlsConfig", "build_kubeconfig", "start_in_thread"]


def start_in_thread(config: ApiServerConfig | dict[str, Any]) -> ServerHandle:
    """Serve `config` (the JSON config's dict or an ApiServerConfig) from a daemon thread; returns once listening."""
    from ovn_lsp_sandbox.apiserver.runner import ServerHandle

    if isinstance(config, dict):
        config = ApiServerConfig.from_dict(config)
    return ServerHandle(config)
