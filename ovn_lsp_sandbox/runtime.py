"""Processes of one sandbox: the NB ovsdb-server(s) and the API server, started from a Scenario.

All state lives in one directory (`state.json`, pidfiles, kubeconfig) so that `down`, run later from
another process, stops exactly what `up` started.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ovn_lsp_sandbox import procs
from ovn_lsp_sandbox.scenario import Scenario

STATE_FILE = "state.json"
APISERVER_MODULE = "ovn_lsp_sandbox.apiserver"
OVN_RUN_DIR = "/var/run/ovn/"  # where ovn-central keeps ovnnb_db.sock inside the real pod
API_START_TIMEOUT = 15.0
RAFT_POD_SUFFIXES = ("r0nb7", "r1qd4", "r2xk9")  # ovn-central replicas, one per raft member


class StartError(RuntimeError):
    """A sandbox process did not come up; everything already started has been stopped."""


def is_running(state_dir: Path) -> bool:
    state = _read_state(state_dir)
    if not state:
        return False
    return procs.is_ours(state.get("apiserver", {}).get("pid", 0), APISERVER_MODULE)


def start(
    scenario: Scenario, state_dir: Path, nb_cluster: int = 1, nb_ssl: bool = False, api_tls: bool = False
) -> dict:
    """Start NB and API server for `scenario`; returns the state written to `state.json`."""
    from ovn_lsp_sandbox import nb_load, nb_server
    from ovn_lsp_sandbox.depth import allow_deep_objects

    allow_deep_objects()  # the objects are moved in time and written for the API server
    state_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(state_dir / "nb", ignore_errors=True)  # a previous run's databases (never the user's: we copy)
    try:
        nb = nb_server.start_nb(
            state_dir / "nb", cluster_size=nb_cluster, ssl=nb_ssl, db_file=scenario.nb_database_file
        )
    except (nb_server.NbServerError, OSError) as exc:
        raise StartError(f"NB ovsdb-server: {exc}") from None
    for leftover in ("audit.log", "live.json"):  # a previous run's request log and restarts
        (state_dir / leftover).unlink(missing_ok=True)
    state = {"scenario": scenario.name, "nb": nb.to_dict(), "apiserver": {}}
    if scenario.authored_at is not None:  # how the scenario's times were moved to now (clock.py)
        state["clock"] = {"authoredAt": scenario.authored_at, "shiftSeconds": scenario.clock_shift}
    _write_state(state_dir, state)
    try:
        objects = _cluster_objects(scenario.objects, nb)
        state["logs"] = _write_container_logs(scenario, objects, state_dir)
        config = _apiserver_config(scenario, objects, nb, state_dir, api_tls, state["logs"])
        # The API server parses its objects while NB loads: at 50,000 ports both take seconds.
        process = _spawn_apiserver(config, state_dir)
        state["apiserver"] = {"pid": process.pid}
        _write_state(state_dir, state)
        if scenario.nb_database_file is None and scenario.nb_switches:
            nb_load.load_switches(nb.unix_socket, scenario.nb_switches)
        state["apiserver"] = _wait_for_apiserver(process, state_dir)
        state["kubeconfig"] = _write_kubeconfig(state_dir, state["apiserver"]["url"], config)
        state["hints"] = _hints(scenario)
        _write_state(state_dir, state)
    except BaseException as exc:
        stop(state_dir)
        if isinstance(exc, (nb_load.NbLoadError, OSError, ValueError)):
            raise StartError(str(exc)) from None
        raise
    return state


def stop(state_dir: Path) -> int | None:
    """Stop the recorded processes; returns how many were running, None when there is no state."""
    from ovn_lsp_sandbox import nb_server

    state = _read_state(state_dir)
    if state is None:
        return None
    stopped = 0
    pid = (state.get("apiserver") or {}).get("pid", 0)
    if procs.is_ours(pid, APISERVER_MODULE):
        procs.stop([(pid, APISERVER_MODULE, None)])
        stopped += 1
    if state.get("nb"):
        stopped += sum(1 for m in state["nb"]["members"] if procs.is_ours(m["pid"], m["db_file"], "ovsdb-server"))
        nb_server.stop_nb(state["nb"])
    (state_dir / STATE_FILE).unlink(missing_ok=True)
    return stopped


def _cluster_objects(objects: list[dict], nb: object) -> list[dict]:
    """With a raft NB, one ovn-central pod per member (as Kube-OVN runs it), the leader labelled."""
    members = nb.members  # type: ignore[attr-defined]
    if len(members) == 1:
        return objects
    out, template = [], None
    for obj in objects:
        if obj.get("kind") == "Pod" and _labels(obj).get("app") == "ovn-central":
            template = template or obj
            continue
        out.append(obj)
    if template is None:
        return objects
    base = template["metadata"]["name"].rsplit("-", 1)[0]
    for member in members:
        pod = copy.deepcopy(template)
        pod["metadata"]["name"] = f"{base}-{RAFT_POD_SUFFIXES[member.index % len(RAFT_POD_SUFFIXES)]}"
        labels = pod["metadata"].setdefault("labels", {})
        for role in ("ovn-nb-leader", "ovn-sb-leader", "ovn-northd-leader"):
            labels[role] = "true" if member.index == nb.leader else "false"  # type: ignore[attr-defined]
        out.append(pod)
    return out


def ovn_central_pods(objects: list[dict]) -> list[dict]:
    return [o for o in objects if o.get("kind") == "Pod" and _labels(o).get("app") == "ovn-central"]


def _write_container_logs(scenario: Scenario, objects: list[dict], state_dir: Path) -> dict[str, dict]:
    """Each scenario log as the CRI file a runtime would hold (`logs/<ns>_<pod>_<container>[.previous].log`, as
    under /var/log/pods), keyed `<ns>/<pod>/<container>`: a pod-level key names the pod's first container.
    Returns state.json's `logs`: each container's current and previous file and its restart count."""
    from datetime import datetime, timezone

    from ovn_lsp_sandbox import container_logs

    directory = state_dir / "logs"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    pods = {
        f"{o['metadata'].get('namespace', 'default')}/{o['metadata']['name']}": o
        for o in objects
        if o.get("kind") == "Pod" and isinstance(o.get("metadata"), dict)
    }
    started = datetime.now(timezone.utc)
    out: dict[str, dict] = {}
    for key, text in sorted(scenario.logs.items(), key=lambda kv: kv[0].endswith("/previous")):
        parts = key.split("/")  # <ns>/<pod>[/<container>[/previous]] (scenario_load checks the form)
        ns, pod = parts[0], parts[1]
        previous = len(parts) == 4
        container = parts[2] if len(parts) >= 3 else ""
        if not container:
            spec = (pods.get(f"{ns}/{pod}") or {}).get("spec") or {}
            names = [c.get("name", "") for c in spec.get("containers") or []]
            container = names[0] if names else "main"
        full = f"{ns}/{pod}/{container}"
        entry = out.setdefault(
            full,
            {
                "current": str(directory / f"{ns}_{pod}_{container}.log"),
                "previous": str(directory / f"{ns}_{pod}_{container}.previous.log"),
                "restartCount": _restart_count(pods.get(f"{ns}/{pod}"), container),
            },
        )
        target = entry["previous"] if previous else entry["current"]
        Path(target).write_text(container_logs.cri_text(text, started))
    for entry in out.values():
        Path(entry["current"]).touch()
    return out


def _restart_count(pod: dict | None, container: str) -> int:
    for status in ((pod or {}).get("status") or {}).get("containerStatuses") or []:
        if status.get("name") == container:
            return int(status.get("restartCount") or 0)
    return 0


def _log_files(logs: dict[str, dict]) -> dict[str, str]:
    """The API server's `log_files`: each container's current and previous file (a previous file exists once
    the scenario gives one or the container restarted; until then the kubelet has none: 400)."""
    files = {}
    for key, entry in logs.items():
        files[key] = entry["current"]
        files[f"{key}/previous"] = entry["previous"]
    return files


def _apiserver_config(
    scenario: Scenario, objects: list[dict], nb: object, state_dir: Path, api_tls: bool, logs: dict[str, dict]
) -> dict:
    from ovn_lsp_sandbox import pki

    members = nb.members  # type: ignore[attr-defined]
    exec_map = {}
    for i, pod in enumerate(ovn_central_pods(objects)):
        member = members[i % len(members)] if len(members) > 1 else members[0]
        key = f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"
        exec_map[key] = {
            "env": {"OVN_NB_DB": f"unix:{member.unix_socket}", "OVN_RUNDIR": member.run_dir},
            "rewrite": {OVN_RUN_DIR: member.run_dir.rstrip("/") + "/"},
        }
    if nb.ssl is not None:  # type: ignore[attr-defined]
        objects = objects + [_tls_secret(nb.ssl)]  # type: ignore[attr-defined]
    tls = None
    if api_tls:
        files = pki.generate_pki(state_dir / "api-pki")
        tls = {"cert": files.server_cert, "key": files.server_key, "ca": files.cacert}
    return {
        "objects": objects,
        "forbidden": [vars(rule) for rule in scenario.forbidden],
        "log_files": _log_files(logs),
        "audit_log": str(state_dir / "audit.log"),  # the request log (kube-apiserver's --audit-log-path)
        "live_file": str(state_dir / "live.json"),  # container restarts (live.py)
        "token": secrets.token_urlsafe(24),
        "tls": tls,
        "exec": exec_map,
        "host": "127.0.0.1",
        "port": 0,
        "continue_ttl": scenario.api.get("continueTTLSeconds"),
        "replies": list(scenario.api.get("replies") or []),
    }


def _tls_secret(ssl: object) -> dict:
    """Secret kube-ovn-tls as install.sh creates it (keys cacert, cert, key)."""

    def b64(path: str) -> str:
        return base64.b64encode(Path(path).read_bytes()).decode()

    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {
            "name": "kube-ovn-tls",
            "namespace": "kube-system",
            "uid": "5e1c2a80-0000-4000-8000-00000000a1b2",
            "creationTimestamp": "2026-11-01T00:00:00Z",
        },
        "data": {"cacert": b64(ssl.cacert), "cert": b64(ssl.client_cert), "key": b64(ssl.client_key)},  # type: ignore[attr-defined]
    }


def _spawn_apiserver(config: dict, state_dir: Path) -> subprocess.Popen:
    config_path = state_dir / "apiserver.json"
    (state_dir / "apiserver.ready").unlink(missing_ok=True)
    fd = os.open(config_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(config, handle, separators=(",", ":"))
    with open(state_dir / "apiserver.log", "ab") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                APISERVER_MODULE,
                "--config",
                str(config_path),
                "--ready-file",
                str(state_dir / "apiserver.ready"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )


def _wait_for_apiserver(process: subprocess.Popen, state_dir: Path) -> dict:
    ready = state_dir / "apiserver.ready"
    deadline = time.monotonic() + API_START_TIMEOUT
    while time.monotonic() < deadline:
        if ready.exists():
            info = json.loads(ready.read_text())
            return {"pid": process.pid, "url": info["url"]}
        if process.poll() is not None:
            tail = (state_dir / "apiserver.log").read_text(errors="replace").strip().splitlines()[-1:]
            raise StartError(f"API server exited: {' '.join(tail) or process.returncode}")
        time.sleep(0.02)
    process.kill()
    raise StartError(f"API server not ready within {API_START_TIMEOUT:g}s")


def _write_kubeconfig(state_dir: Path, url: str, config: dict) -> str:
    import yaml

    cluster: dict = {"server": url}
    if config["tls"]:
        cluster["certificate-authority-data"] = base64.b64encode(Path(config["tls"]["ca"]).read_bytes()).decode()
    kubeconfig = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "ovn-lsp-sandbox", "cluster": cluster}],
        "users": [{"name": "sandbox-user", "user": {"token": config["token"]}}],
        "contexts": [
            {
                "name": "ovn-lsp-sandbox",
                "context": {"cluster": "ovn-lsp-sandbox", "user": "sandbox-user", "namespace": "default"},
            }
        ],
        "current-context": "ovn-lsp-sandbox",
        "preferences": {},
    }
    path = state_dir / "kubeconfig"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        yaml.safe_dump(kubeconfig, handle, sort_keys=False)
    return str(path)


def _hints(scenario: Scenario) -> list[str]:
    hints = []
    for obj in scenario.objects:
        if obj.get("kind") == "VirtualMachine":
            meta = obj["metadata"]
            hints.append(f"kubectl ovn-lsp explain {meta['name']} -n {meta['namespace']}")
            break
    return hints


def _labels(obj: dict) -> dict:
    return (obj.get("metadata") or {}).get("labels") or {}


def _read_state(state_dir: Path) -> dict | None:
    try:
        return json.loads((state_dir / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None


def _write_state(state_dir: Path, state: dict) -> None:
    tmp = state_dir / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state, indent=2))
    tmp.replace(state_dir / STATE_FILE)
