"""`kubectl ovn-lsp sandbox up|down|list|append-log|restart-container`: start a real NB and a local Kubernetes API
server from a scenario, and change it while it runs as a node would (a container prints, a container restarts).

The sandbox is its own executable, `kubectl-ovn_lsp-sandbox`: kubectl runs the longest plugin name that
matches the words typed, so `kubectl ovn-lsp sandbox up tc4` reaches it while the plugin itself never imports
(or ships, in the krew archive) any sandbox code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from kubectl_ovn_lsp.errors import PluginError, one_line
from ovn_lsp_sandbox import runtime

DEFAULT_DIR = ".sandbox"


class SandboxError(PluginError):
    message = "sandbox: %(detail)s"


def _state_dir(args: argparse.Namespace) -> Path:
    return Path(args.dir or os.environ.get("OVN_LSP_SANDBOX_DIR") or DEFAULT_DIR).resolve()


def up(args: argparse.Namespace) -> int:
    from ovn_lsp_sandbox import scenario_load

    started = time.monotonic()
    state_dir = _state_dir(args)
    if runtime.is_running(state_dir):
        raise SandboxError(
            detail=f"already running in {state_dir}; run `kubectl ovn-lsp sandbox down --dir {state_dir}`"
        )
    try:
        if args.generate:
            from ovn_lsp_sandbox import generate

            scenario = generate.generate(**generate.parse_generate_spec(args.generate), now=datetime.now(timezone.utc))
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
    print(
        f'Sandbox "{scenario.name}" is up in {state_dir} ({elapsed:.1f}s): '
        f"{len(scenario.objects)} objects, NB {state['nb']['remotes']}"
    )
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


def append_log(args: argparse.Namespace) -> int:
    """A container prints lines: appended to its log, stamped now (ovn_lsp_sandbox/live.py)."""
    from ovn_lsp_sandbox import live

    state_dir = _running(args)
    lines = [args.line] if args.line != "-" else sys.stdin.read().splitlines()
    try:
        written = live.append_log(state_dir, args.container, lines)
    except live.LiveError as exc:
        raise SandboxError(detail=str(exc)) from None
    print(f"appended {len(written)} line(s) to {args.container}")
    return 0


def restart_container(args: argparse.Namespace) -> int:
    """The kubelet restarts a container: its log becomes the previous one, restartCount + 1 (live.py)."""
    from ovn_lsp_sandbox import live

    state_dir = _running(args)
    try:
        count = live.restart_container(state_dir, args.container)
    except live.LiveError as exc:
        raise SandboxError(detail=str(exc)) from None
    print(f"restarted {args.container} (restartCount {count})")
    return 0


def _running(args: argparse.Namespace) -> Path:
    state_dir = _state_dir(args)
    if not runtime.is_running(state_dir):
        raise SandboxError(detail=f"no sandbox running in {state_dir}; start one with `kubectl ovn-lsp sandbox up`")
    return state_dir


def list_scenarios(args: argparse.Namespace) -> int:
    from ovn_lsp_sandbox.scenario_load import list_shipped

    for name, description in list_shipped():
        print(f"{name:8} {description}")
    return 0


def read_state(state_dir: Path) -> dict:
    """The state `up` wrote (kubeconfig path, NB remotes, pids), for tests and scripts."""
    with open(state_dir / runtime.STATE_FILE, encoding="utf-8") as handle:
        return json.load(handle)


PROG = "kubectl ovn-lsp sandbox"


class Parser(argparse.ArgumentParser):
    """kubectl-style usage errors: `error: …` then a pointer to -h, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"error: {message}\nSee '{self.prog} -h' for help and examples.\n")
        raise SystemExit(2)


def build_parser() -> Parser:
    """`up`, `down`, `list`, `append-log` and `restart-container`, each with a handler in this module."""
    sandbox = Parser(
        prog=PROG,
        description="Start or stop a local Kubernetes API server and a real OVN NB ovsdb-server on loopback.",
    )
    actions = sandbox.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser)
    actions.required = True
    up_parser = actions.add_parser(
        "up",
        help="start a sandbox from a scenario, a dump directory, or --generate",
        epilog="examples:\n  kubectl ovn-lsp sandbox up tc4\n"
        "  kubectl ovn-lsp sandbox up ./customer-dump --dir /tmp/case-123\n"
        "  kubectl ovn-lsp sandbox up --generate pods=10000,vms=2000,lsps=50000",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    up_parser.add_argument(
        "scenario", nargs="?", help="shipped scenario name (see `sandbox list`), a YAML file, or a dump directory"
    )
    up_parser.add_argument("--dir", default=None, help="state directory (default ./.sandbox)")
    up_parser.add_argument("--generate", metavar="pods=N,vms=N,lsps=N", help="build a large synthetic cluster instead")
    up_parser.add_argument("--nb-cluster", type=int, choices=(1, 3), default=1, help="NB raft cluster size")
    up_parser.add_argument("--nb-ssl", action="store_true", help="NB with mutual TLS (Secret kube-ovn-tls is served)")
    up_parser.add_argument("--tls", action="store_true", help="serve the Kubernetes API over HTTPS")
    up_parser.set_defaults(handler=up)
    down_parser = actions.add_parser("down", help="stop what `sandbox up` started")
    down_parser.add_argument("--dir", default=None, help="state directory (default ./.sandbox)")
    down_parser.set_defaults(handler=down)
    listing = actions.add_parser("list", help="list the shipped scenarios")
    listing.set_defaults(handler=list_scenarios)
    append = actions.add_parser(
        "append-log",
        help="a container prints a line: append it to the container's log, stamped now",
        epilog="example:\n  kubectl ovn-lsp sandbox append-log kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp \\\n"
        "    'E1127 10:12:00.120001       1 gc.go:476] lsp lost for pod web-5f7c.app, please delete the pod and retry'",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    append.add_argument("container", metavar="NS/POD[/CONTAINER]", help="the container whose log grows")
    append.add_argument("line", metavar="LINE|-", help="the line to append (- reads lines from standard input)")
    append.add_argument("--dir", default=None, help="state directory (default ./.sandbox)")
    append.set_defaults(handler=append_log)
    restart = actions.add_parser(
        "restart-container",
        help="the kubelet restarts a container: its log becomes the previous log, restartCount + 1",
    )
    restart.add_argument("container", metavar="NS/POD[/CONTAINER]", help="the container to restart")
    restart.add_argument("--dir", default=None, help="state directory (default ./.sandbox)")
    restart.set_defaults(handler=restart_container)
    return sandbox


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `kubectl-ovn_lsp-sandbox`; one `error: …` line and exit 1 on failure, never a traceback."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(args.handler(args))
    except PluginError as exc:
        sys.stderr.write(f"error: {one_line(str(exc))}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return 130
    except BrokenPipeError:  # `sandbox list | head`
        return 0
    except Exception as exc:  # the promise is one line, never a traceback
        if os.environ.get("KUBECTL_OVN_LSP_TRACEBACK"):
            raise
        sys.stderr.write(
            f"error: sandbox: internal error: {type(exc).__name__}: {' '.join(str(exc).split())} "
            "(set KUBECTL_OVN_LSP_TRACEBACK=1 for details)\n"
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
