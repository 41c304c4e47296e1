"""Start and stop a real OVN Northbound `ovsdb-server` (standalone or 3-member raft, TCP or mutual TLS).

Why a real server: the plugin's NB paths (exec + `ovsdb-client query`, direct ovsdbapp monitoring) must be
tested against the real protocol, and a support engineer replays a customer's `ovsdb-client backup` file.
The handle is plain data (`NbServer.to_dict`) because `sandbox down` runs in another process and stops exactly
the recorded pids.
"""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ovn_lsp_sandbox import procs
from ovn_lsp_sandbox.pki import SslFiles, generate_pki

NB_SCHEMA = "/usr/share/ovn/ovn-nb.ovsschema"
DB_NAME = "OVN_Northbound"
SOCKET_NAME = "ovnnb_db.sock"
CTL_NAME = "ovnnb_db.ctl"
PID_NAME = "ovnnb_db.pid"
_LISTEN_RE = re.compile(r"127\.0\.0\.1: listening on port (\d+)")
_START_TIMEOUT = 10.0


class NbServerError(RuntimeError):
    """The NB server could not be started or stopped; the message says which step and why."""


@dataclass
class NbMember:
    """One ovsdb-server process and the paths a client or `ovs-appctl` needs to reach it."""

    index: int
    run_dir: str
    db_file: str
    pidfile: str
    pid: int
    unix_socket: str  # <run_dir>/ovnnb_db.sock
    ctl: str  # <run_dir>/ovnnb_db.ctl (absolute: ovs-appctl -t needs it)
    log_file: str
    remote: str  # tcp:127.0.0.1:P or ssl:127.0.0.1:P
    raft_address: str = ""  # tcp:127.0.0.1:P for a cluster member, "" when standalone


@dataclass
class NbServer:
    """A running NB: its members, which one led at start, and the TLS files when `ssl` is on."""

    dir: str
    members: list[NbMember]
    clustered: bool = False
    leader: int = 0
    ssl: SslFiles | None = None
    start_seconds: float = 0.0

    @property
    def remotes(self) -> str:
        """Comma list of client remotes, the form `--nb` and `OVN_NB_DB` take."""
        return ",".join(m.remote for m in self.members)

    @property
    def unix_socket(self) -> str:
        """The unix socket of the member that led at start (the one `ovn-nbctl` should use)."""
        return self.members[self.leader].unix_socket

    def to_dict(self) -> dict:
        data = asdict(self)
        data["ssl"] = self.ssl.to_dict() if self.ssl else None
        data["remotes"] = self.remotes
        return data

    @classmethod
    def from_dict(cls, data: dict) -> NbServer:
        ssl = SslFiles.from_dict(data["ssl"]) if data.get("ssl") else None
        members = [NbMember(**m) for m in data["members"]]
        return cls(
            dir=data["dir"],
            members=members,
            clustered=data.get("clustered", False),
            leader=data.get("leader", 0),
            ssl=ssl,
            start_seconds=data.get("start_seconds", 0.0),
        )


def _run(argv: list[str], what: str) -> str:
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode != 0:
        raise NbServerError(f"{what} failed: {(proc.stderr or proc.stdout).strip()[-400:]}")
    return proc.stdout


def _free_port() -> int:
    """A loopback port for raft (its address is stored in the DB, so it cannot be `:0`)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _is_clustered_file(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(13) == b"OVSDB CLUSTER"


def _member_paths(base: Path, index: int, clustered: bool) -> NbMember:
    root = base / f"nb{index}" if clustered else base
    run_dir = root / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    return NbMember(
        index=index,
        run_dir=str(run_dir),
        db_file=str(root / "ovnnb_db.db"),
        pidfile=str(run_dir / PID_NAME),
        pid=0,
        unix_socket=str(run_dir / SOCKET_NAME),
        ctl=str(run_dir / CTL_NAME),
        log_file=str(root / "ovsdb-server-nb.log"),
        remote="",
    )


def server_binary() -> str:
    """`ovsdb-server`: on PATH, else where Debian and Ubuntu put it (/usr/sbin is not on a user's PATH)."""
    for candidate in (shutil.which("ovsdb-server"), "/usr/sbin/ovsdb-server", "/usr/local/sbin/ovsdb-server"):
        if candidate and Path(candidate).is_file():
            return candidate
    raise NbServerError(
        "ovsdb-server not found (on PATH or in /usr/sbin): install openvswitch-common (bash .ci/install does)"
    )


def _server_argv(m: NbMember, ssl: SslFiles | None) -> list[str]:
    argv = [
        server_binary(),
        "--detach",
        "--no-chdir",
        f"--pidfile={m.pidfile}",
        f"--log-file={m.log_file}",
        f"--unixctl={m.ctl}",
        f"--remote=punix:{m.unix_socket}",
    ]
    if ssl:
        argv += [
            "--remote=pssl:0:127.0.0.1",
            f"--private-key={ssl.server_key}",
            f"--certificate={ssl.server_cert}",
            f"--ca-cert={ssl.cacert}",
        ]
    else:
        argv.append("--remote=ptcp:0:127.0.0.1")
    return argv + [m.db_file]


def _prepare_dbs(members: list[NbMember], db_file: str | None) -> None:
    """Create each member's database file: from the schema or from a customer's (standalone) backup."""
    source = NB_SCHEMA
    if db_file:
        source = str(Path(members[0].run_dir).parent / "source.db")
        if _is_clustered_file(Path(db_file)):
            _run(["ovsdb-tool", "cluster-to-standalone", source, db_file], "ovsdb-tool cluster-to-standalone")
        else:
            shutil.copyfile(db_file, source)
    first = members[0]
    if not first.raft_address:
        if db_file:
            shutil.move(source, first.db_file)
        else:
            _run(["ovsdb-tool", "create", first.db_file, source], "ovsdb-tool create")
        return
    _run(["ovsdb-tool", "create-cluster", first.db_file, source, first.raft_address], "ovsdb-tool create-cluster")
    for m in members[1:]:
        _run(
            ["ovsdb-tool", "join-cluster", m.db_file, DB_NAME, m.raft_address, first.raft_address],
            "ovsdb-tool join-cluster",
        )


def _launch(members: list[NbMember], ssl: SslFiles | None) -> None:
    """Start all members in parallel; `--detach` returns once each daemon has opened its DB."""
    procs = [
        (
            m,
            subprocess.Popen(
                _server_argv(m, ssl),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            ),
        )
        for m in members
    ]
    for m, proc in procs:
        _, err = proc.communicate(timeout=_START_TIMEOUT)
        if proc.returncode != 0:
            raise NbServerError(f"ovsdb-server nb{m.index} did not start: {err.strip()[-400:]}")
        m.pid = int(Path(m.pidfile).read_text().strip())


def _wait_ports(members: list[NbMember], scheme: str, deadline: float) -> None:
    """Read each kernel-chosen port from the log line `listening on port N`."""
    pending = list(members)
    while pending:
        for m in list(pending):
            match = _LISTEN_RE.search(Path(m.log_file).read_text(errors="replace"))
            if match:
                m.remote = f"{scheme}:127.0.0.1:{match.group(1)}"
                pending.remove(m)
        if pending:
            if time.monotonic() > deadline:
                raise NbServerError(
                    f"ovsdb-server nb{pending[0].index} never reported its port (see {pending[0].log_file})"
                )
            time.sleep(0.005)


def _cluster_status(members: list[NbMember]) -> list[str]:
    """`cluster/status` of every member, asked in parallel ("" for a member that does not answer)."""
    procs = [
        subprocess.Popen(
            ["ovs-appctl", "-T", "2", "-t", m.ctl, "cluster/status", DB_NAME],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for m in members
    ]
    return [p.communicate()[0] if p.wait() == 0 else "" for p in procs]


def _wait_cluster(members: list[NbMember], deadline: float) -> int:
    """Wait until every member says `Status: cluster member` and one is leader; return the leader index."""
    while True:
        statuses = _cluster_status(members)
        leaders = [i for i, s in enumerate(statuses) if "Role: leader" in s]
        if all("Status: cluster member" in s for s in statuses) and leaders:
            return leaders[0]
        if time.monotonic() > deadline:
            raise NbServerError(
                "raft cluster did not form: " + "; ".join(f"nb{i}: {_status_line(s)}" for i, s in enumerate(statuses))
            )
        time.sleep(0.02)


def _status_line(status: str) -> str:
    for line in status.splitlines():
        if line.startswith("Status:"):
            return line
    return "no answer"


def start_nb(
    directory: str | Path, cluster_size: int = 1, ssl: bool = False, db_file: str | Path | None = None
) -> NbServer:
    """Start an NB under `directory`: standalone (1) or raft (3), optionally over mutual TLS, optionally
    from a standalone or clustered DB file. Stops what it started if any step fails."""
    if cluster_size < 1:
        raise NbServerError(f"cluster_size must be >= 1, got {cluster_size}")
    t0 = time.monotonic()
    base = Path(directory).resolve()
    base.mkdir(parents=True, exist_ok=True)
    clustered = cluster_size > 1
    members = [_member_paths(base, i, clustered) for i in range(cluster_size)]
    if clustered:
        for m in members:
            m.raft_address = f"tcp:127.0.0.1:{_free_port()}"
    server = NbServer(dir=str(base), members=members, clustered=clustered)
    try:
        server.ssl = generate_pki(base / "pki") if ssl else None
        _prepare_dbs(members, str(db_file) if db_file else None)
        deadline = time.monotonic() + _START_TIMEOUT
        # A joiner that finds no leader (founder not elected yet, or another join in progress) retries
        # only after ~1 s, so raft members start one at a time, each once the previous one has joined.
        waves = [[m] for m in members] if clustered else [members]
        for wave in waves:
            _launch(wave, server.ssl)
            if clustered:
                server.leader = _wait_cluster(members[: wave[-1].index + 1], deadline)
        _wait_ports(members, "ssl" if ssl else "tcp", deadline)
    except BaseException:
        stop_nb(server.to_dict())
        raise
    server.start_seconds = round(time.monotonic() - t0, 3)
    return server


def leader_index(state: dict | NbServer) -> int | None:
    """Which member leads now (re-read from `cluster/status`); None when no live member is leader."""
    server = state if isinstance(state, NbServer) else NbServer.from_dict(state)
    if not server.clustered:
        return 0 if _alive(server.members[0].pid, server.members[0].db_file) else None
    for i, status in enumerate(_cluster_status(server.members)):
        if "Role: leader" in status:
            return i
    return None


def _alive(pid: int, db_file: str) -> bool:
    """True when `pid` is still our ovsdb-server for this database (not a zombie, not a recycled pid)."""
    return procs.is_ours(pid, db_file, comm="ovsdb-server")


def _recorded_pid(m: NbMember) -> int:
    try:
        return int(Path(m.pidfile).read_text().strip())
    except (FileNotFoundError, ValueError):
        return m.pid


def kill_member(state: dict | NbServer, index: int, timeout: float = 5.0) -> None:
    """SIGKILL one member (a crash, for failover tests) and wait until it is gone."""
    server = state if isinstance(state, NbServer) else NbServer.from_dict(state)
    _terminate([server.members[index]], signal.SIGKILL, timeout)


def _terminate(members: list[NbMember], sig: int, timeout: float) -> list[NbMember]:
    """Signal the members still running and wait; returns those left after `timeout`."""
    pids = {_recorded_pid(m) or m.pid: m for m in members}
    left = procs.terminate([(pid, m.db_file, "ovsdb-server") for pid, m in pids.items()], sig, timeout)
    return [pids[pid] for pid in left]


def stop_nb(state: dict | NbServer, timeout: float = 5.0) -> None:
    """Stop exactly the recorded ovsdb-server pids (SIGTERM, then SIGKILL) and wait until they are gone."""
    server = state if isinstance(state, NbServer) else NbServer.from_dict(state)
    left = _terminate(server.members, signal.SIGTERM, timeout)
    if left:
        left = _terminate(left, signal.SIGKILL, timeout)
    if left:
        raise NbServerError("ovsdb-server still running: pids " + ", ".join(str(m.pid) for m in left))
