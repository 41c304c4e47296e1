"""Test-side view of a running sandbox, and how to run the plugin against it exactly as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Sandbox:
    """A running sandbox as tests use it: its directory, kubeconfig and NB handle."""

    name: str
    dir: Path
    state: dict

    @property
    def kubeconfig(self) -> str:
        return self.state["kubeconfig"]

    @property
    def nb_remotes(self) -> str:
        return self.state["nb"]["remotes"]

    def at(self, authored: str) -> str:
        """An instant as the scenario file writes it → as this sandbox serves it (times move to the start, see
        ovn_lsp_sandbox/clock.py), in the plugin's output form `YYYY-MM-DDTHH:MM:SSZ`."""
        from datetime import datetime, timedelta

        shift = self.state.get("clock", {}).get("shiftSeconds", 0)
        when = datetime.fromisoformat(authored.replace("Z", "+00:00")) + timedelta(seconds=shift)
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for running `kubectl …` against this sandbox (own discovery cache, no colour)."""
        env = dict(os.environ)
        env.update(KUBECONFIG=self.kubeconfig, KUBECACHEDIR=str(self.dir / "kubecache"), NO_COLOR="1")
        env.pop("KUBECTL_OVN_LSP_TRACEBACK", None)
        env.update(extra)
        return env

    def kubectl(self, *args: str, timeout: float = 60, **extra_env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["kubectl", *args], capture_output=True, text=True, timeout=timeout, env=self.env(**extra_env)
        )


def run_plugin(sandbox: Sandbox, *args: str, timeout: float = 60, **extra_env: str) -> subprocess.CompletedProcess:
    """Run `kubectl ovn-lsp …` exactly as a user would (kubectl finds kubectl-ovn_lsp on PATH)."""
    return sandbox.kubectl("ovn-lsp", *args, timeout=timeout, **extra_env)


def plugin_on_path() -> None:
    if shutil.which("kubectl-ovn_lsp") is None:
        raise RuntimeError(f"kubectl-ovn_lsp is not on PATH ({sys.executable}: bash .ci/install)")
