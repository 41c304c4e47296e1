"""`sandbox up|down|list`: start a real NB and a local Kubernetes API server from a scenario, and stop them."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from kubectl_ovn_lsp.errors import PluginError
from kubectl_ovn_lsp.sandbox import runtime

DEFAULT_DIR = ".sandbox"


class SandboxError(PluginError):
    message = "sandbox: %(detail)s"


def _state_dir(args: argparse.Namespace) -> Path:
    return Path(args.dir or os.environ.get("OVN_LSP_SANDBOX_DIR") or DEFAULT_DIR).resolve()


def up(args: argparse.Namespace) -> int:
    from kubectl_ovn_lsp.sandbox import scenario_load

    started = time.monotonic()
    state_dir = _state_dir(args)
    if runtime.is_running(state_dir):
        raise SandboxError(detail=f"already running in {state_dir}; run `kubectl ovn-lsp sandbox down --dir {state_dir}`")
    try:
        if args.generate:
            from kubectl_ovn_lsp.sandbox import generate

            scenario = generate.generate(**generate.parse_generate_spec(args.generate))
        elif not args.scenario:
            raise SandboxError(detail="name a scenario (see `kubectl ovn-lsp sandbox list`) or use --generate")
        elif Path(args.scenario).is_dir():
            scenario = scenario_load.load_dump_dir(Path(args.scenario))
        else:
            scenario = scenario_load.load_scenario(args.scenario)
    except (ValueError, OSError) as exc:
        raise SandboxError(detail=" ".join(str(exc).split())) from None
    try:
        state = runtime.start(scenario, state_dir, nb_cluster=args.nb_cluster, nb_ssl=args.nb_ssl, api_tls=args.tls)
    except runtime.StartError as exc:
        raise SandboxError(detail=str(exc)) from None
    elapsed = time.monotonic() - started
    kubeconfig = state["kubeconfig"]
    print(f'Sandbox "{scenario.name}" is up in {state_dir} ({elapsed:.1f}s): '
          f'{len(scenario.objects)} objects, NB {state["nb"]["remotes"]}')
    print(f"  export KUBECONFIG={kubeconfig}")
    print("  kubectl get pods -A")
    for hint in state.get("hints") or []:
        print(f"  {hint}")
    print(f"Stop it with: kubectl ovn-lsp sandbox down --dir {state_dir}")
    return 0


def down(args: argparse.Namespace) -> int:
    state_dir = _state_dir(args)
    stopped = runtime.stop(state_dir)
    if stopped is None:
        print(f"no sandbox state in {state_dir}; nothing to stop")
    else:
        print(f"stopped {stopped} process(es) of the sandbox in {state_dir}")
    return 0


def list_scenarios(args: argparse.Namespace) -> int:
    from kubectl_ovn_lsp.sandbox.scenario_load import list_shipped

    for name, description in list_shipped():
        print(f"{name:8} {description}")
    return 0


def read_state(state_dir: Path) -> dict:
    """The state `up` wrote (kubeconfig path, NB remotes, pids), for tests and scripts."""
    with open(state_dir / runtime.STATE_FILE, encoding="utf-8") as handle:
        return json.load(handle)
