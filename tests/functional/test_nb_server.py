"""Lifecycle of the sandbox NB: standalone, from a backup file, raft failover, mutual TLS."""

from __future__ import annotations

import json
import os
import socket
import ssl as pyssl
import subprocess
import time
from pathlib import Path

import pytest

from kubectl_ovn_lsp.model.records import Selection
from kubectl_ovn_lsp.nb.direct import read_direct
from ovn_lsp_sandbox.nb_server import NbServer, kill_member, leader_index, start_nb, stop_nb

VM_PORT = "vm-a.test-ns.subnet-a.test-ns.ovn"


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def test_standalone_up_down_leaves_no_process(tmp_path_factory: pytest.TempPathFactory) -> None:
    server = start_nb(tmp_path_factory.mktemp("nb"))
    state = json.loads(json.dumps(server.to_dict()))  # what `sandbox down` reads back from state.json
    try:
        member = server.members[0]
        assert Path(member.unix_socket).name == "ovnnb_db.sock" and Path(member.unix_socket).exists()
        assert Path(member.ctl).name == "ovnnb_db.ctl" and Path(member.ctl).is_absolute()
        assert _running(member.pid)
        assert state["remotes"] == server.remotes and server.remotes.startswith("tcp:127.0.0.1:")
        port = int(server.remotes.rsplit(":", 1)[1])
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        assert NbServer.from_dict(state) == server
        assert leader_index(state) == 0
    finally:
        stop_nb(state)
    assert not _running(server.members[0].pid)
    stop_nb(state)  # idempotent: a second `down` neither fails nor kills anything else


def test_start_from_backup_file(nb_factory, nbctl, nb_dump, tmp_path: Path) -> None:
    """A customer's `ovsdb-client backup` (standalone) replays as-is, also into a raft cluster."""
    source = nb_factory()
    backup = tmp_path / "nb.db"
    backup.write_bytes(
        subprocess.run(["ovsdb-client", "backup", f"unix:{source.unix_socket}"], capture_output=True, check=True).stdout
    )
    replay = nb_factory(load=False, db_file=str(backup))
    assert nb_dump(replay) == nb_dump(source)
    replay3 = nb_factory(cluster_size=3, load=False, db_file=str(backup))
    assert nbctl(replay3, "lsp-get-ls", VM_PORT).split()[-1] == "(subnet-a)"


def test_raft_leader_killed_followers_serve_reads(nb_factory) -> None:
    server = nb_factory(cluster_size=3)
    assert len(server.members) == 3 and len(server.remotes.split(",")) == 3
    assert leader_index(server) == server.leader
    old = server.leader
    kill_member(server, old)
    assert not _running(server.members[old].pid)

    t0 = time.monotonic()
    found = read_direct(server.remotes, Selection.of([VM_PORT], []), 5)
    failover_read = time.monotonic() - t0
    assert [p.name for p in found.ports] == [VM_PORT]
    assert found.endpoint != server.members[old].remote and found.leader_only is False
    assert failover_read < 5.0, failover_read  # the timeout given: speed itself is benchmarks/' business
    print(f"raft failover read: {failover_read:.3f} s via {found.endpoint}")

    stop_nb(server.to_dict())  # a dead member is not an error for `down`
    assert not any(_running(m.pid) for m in server.members)


def test_ssl_requires_client_certificate(nb_ssl: NbServer) -> None:
    files = nb_ssl.ssl
    assert files is not None and nb_ssl.remotes.startswith("ssl:127.0.0.1:")
    out = subprocess.run(
        [
            "ovn-nbctl",
            "--timeout=5",
            f"--db={nb_ssl.remotes}",
            "-p",
            files.client_key,
            "-c",
            files.client_cert,
            "-C",
            files.cacert,
            "show",
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "subnet-a" in out.stdout and VM_PORT in out.stdout

    refused = subprocess.run(
        ["ovn-nbctl", "--timeout=5", f"--db={nb_ssl.remotes}", "-C", files.cacert, "show"],
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0

    # The server itself refuses a TLS client without a certificate (not just ovn-nbctl's own check).
    host, port = nb_ssl.remotes.split(":")[1:]
    ctx = pyssl.create_default_context(cafile=files.cacert)
    ctx.check_hostname = False
    try:
        with ctx.wrap_socket(socket.create_connection((host, int(port)), timeout=3)) as tls:
            tls.sendall(b'{"method":"echo","params":[],"id":1}')
            answer = tls.recv(4096)
    except (pyssl.SSLError, ConnectionError):
        answer = b""  # refused during or right after the handshake
    assert answer == b"", f"the server answered a client without a certificate: {answer!r}"


def test_stop_kills_only_recorded_pids(nb_factory) -> None:
    """`down` for one sandbox leaves another sandbox's NB running."""
    first, second = nb_factory(load=False), nb_factory(load=False)
    stop_nb(first.to_dict())
    assert not _running(first.members[0].pid)
    assert _running(second.members[0].pid)
    assert os.path.exists(second.unix_socket)
