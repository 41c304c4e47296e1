"""Direct reads (one `select … abort` transaction): tcp, mutual TLS, raft member lists, bounded failure."""

from __future__ import annotations

import re
import socket
import subprocess
import time
from pathlib import Path

import pytest

from kubectl_ovn_lsp.model.records import NbLookup, Selection
from kubectl_ovn_lsp.nb.direct import read_direct
from kubectl_ovn_lsp.nb.errors import NbDirectError, NbSslConfigError, NbTlsError, NbUnreachable
from kubectl_ovn_lsp.nb.remotes import NbSslFiles
from ovn_lsp_sandbox.nb_server import kill_member
from ovn_lsp_sandbox.pki import generate_pki

VM_PORT = "vm-a.test-ns.subnet-a.test-ns.ovn"


def _lookup(remotes: str, names: list[str], keys: list[str], timeout: float, ssl: NbSslFiles | None = None) -> NbLookup:
    """explain's narrow read: names and pod keys (one transaction of selects, filtered by the server)."""
    return read_direct(remotes, Selection.of(names, keys), timeout, ssl)


def _client_files(server) -> NbSslFiles:
    return NbSslFiles(private_key=server.ssl.client_key, certificate=server.ssl.client_cert, ca_cert=server.ssl.cacert)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_tcp_names_and_pod_keys(nb) -> None:
    found = _lookup(nb.remotes, [VM_PORT, "no-such-port"], ["app/web-5f7c"], timeout=5)
    assert [p.name for p in found.ports] == [VM_PORT, "web-5f7c.app"]
    assert (found.via, found.endpoint, found.leader_only) == ("direct", nb.remotes, False)
    vm = found.ports[0]
    assert vm.logical_switch == "subnet-a" and vm.pod_key == "test-ns/vm-a"
    assert vm.addresses == ("00:00:00:0a:00:02 172.17.0.10",) and len(vm.uuid) == 36
    web = found.ports[1]
    assert web.external_ids["security_groups"] == "sg1/sg2"


def test_pod_key_finds_every_port_of_the_vm(nb) -> None:
    found = _lookup(nb.remotes, [], ["test-ns/vm-a"], timeout=5)
    assert sorted(p.name for p in found.ports) == ["vm-a.test-ns", VM_PORT]
    assert _lookup(nb.remotes, ["vm-b.test-ns"], ["test-ns/vm-b"], timeout=5).ports == ()


def test_two_servers_in_one_process(nb, nb_ssl) -> None:
    """No connection is cached between calls (ovsdbapp's class-level connection would answer from the first)."""
    first = _lookup(nb.remotes, [VM_PORT], [], timeout=5)
    second = _lookup(nb_ssl.remotes, [VM_PORT], [], timeout=5, ssl=_client_files(nb_ssl))
    assert first.endpoint == nb.remotes and second.endpoint == nb_ssl.remotes
    assert first.ports[0].uuid != second.ports[0].uuid


def test_ssl(nb_ssl, tmp_path) -> None:
    found = _lookup(nb_ssl.remotes, [VM_PORT], [], timeout=5, ssl=_client_files(nb_ssl))
    assert [p.name for p in found.ports] == [VM_PORT] and found.endpoint.startswith("ssl:")

    with pytest.raises(NbSslConfigError):
        _lookup(nb_ssl.remotes, [VM_PORT], [], timeout=5)
    with pytest.raises(NbSslConfigError, match="not found"):
        _lookup(
            nb_ssl.remotes,
            [VM_PORT],
            [],
            timeout=5,
            ssl=NbSslFiles(str(tmp_path / "nokey"), nb_ssl.ssl.client_cert, nb_ssl.ssl.cacert),
        )

    other = generate_pki(tmp_path / "other")  # a CA the server does not trust
    mine = (nb_ssl.ssl.client_key, nb_ssl.ssl.client_cert, nb_ssl.ssl.cacert)
    cases = [
        ((other.client_key, other.client_cert, other.cacert), NbTlsError, "not signed by the CA in --nb-ca-cert"),
        ((other.client_key, other.client_cert, mine[2]), NbTlsError, "rejected the client certificate"),
        ((other.client_key, mine[1], mine[2]), NbSslConfigError, "does not match the certificate"),
    ]
    for files, error, message in cases:
        t0 = time.monotonic()
        with pytest.raises(error, match=message):
            _lookup(nb_ssl.remotes, [VM_PORT], [], timeout=5, ssl=NbSslFiles(*files))
        assert time.monotonic() - t0 < 4.0  # named at once, never by waiting out the 5 s timeout


def test_raft_list_reads_from_any_member(nb_factory) -> None:
    server = nb_factory(cluster_size=3)
    follower = next(m for m in server.members if m.index != server.leader)
    found = _lookup(follower.remote, [VM_PORT], [], timeout=5)  # a follower alone answers
    assert [p.name for p in found.ports] == [VM_PORT] and found.endpoint == follower.remote

    ssl_cluster = nb_factory(cluster_size=3, ssl=True)
    kill_member(ssl_cluster, ssl_cluster.leader)
    found = _lookup(ssl_cluster.remotes, [], ["test-ns/vm-a"], timeout=5, ssl=_client_files(ssl_cluster))
    assert len(found.ports) == 2 and found.endpoint != ssl_cluster.members[ssl_cluster.leader].remote


def test_unreachable_fails_fast_or_within_timeout() -> None:
    remotes = f"tcp:127.0.0.1:{_closed_port()},tcp:127.0.0.1:{_closed_port()}"
    t0 = time.monotonic()
    with pytest.raises(NbUnreachable, match="connection refused"):
        _lookup(remotes, [VM_PORT], [], timeout=5.0)
    assert time.monotonic() - t0 < 5.0  # every member refused: it does not wait for the timeout

    # A listener that never speaks OVSDB: the timeout bounds the wait.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        t0 = time.monotonic()
        with pytest.raises(NbUnreachable, match=r"did not answer within 1s \(--request-timeout\)"):
            _lookup(f"tcp:127.0.0.1:{silent.getsockname()[1]}", [VM_PORT], [], timeout=1.0)
        assert 0.9 < time.monotonic() - t0 < 1.0 + 2.0  # the promised bound, with a loaded machine's margin


def test_bad_remote_and_empty_query(nb) -> None:
    with pytest.raises(NbDirectError, match="unsupported NB remote"):
        _lookup("unix:/tmp/x.sock", [VM_PORT], [], timeout=1)
    with pytest.raises(ValueError):
        _lookup(nb.remotes, [], [], timeout=1)


def _requests(nb, read) -> list[str]:
    """The JSON-RPC requests the server received while `read()` ran (its debug log shows every one)."""
    ctl = nb.members[0].ctl
    log = nb.members[0].log_file
    subprocess.run(["ovs-appctl", "-t", ctl, "vlog/set", "jsonrpc:file:dbg"], check=True, capture_output=True)
    try:
        start = len(Path(log).read_text())
        read()
        return [line for line in Path(log).read_text()[start:].splitlines() if "received request" in line]
    finally:
        subprocess.run(["ovs-appctl", "-t", ctl, "vlog/set", "jsonrpc:file:info"], check=True, capture_output=True)


def _transact_ops(request: str) -> list[str]:
    return re.findall(r'"op":"(\w+)"', request)


def test_reads_never_commit(nb, nb_dump) -> None:
    """explain's read: the member's raft role, then one transact of a `select` per switch, per port name and per pod
    key, ending in `abort`, the server filtering each by its `where`; audit's read: the role, then one transact of
    `select`s of every Logical_Switch and Logical_Switch_Port ending in `abort` (what `ovsdb-client query` sends).
    No request could commit, and the NB is byte-identical afterwards."""
    before = nb_dump(nb)  # ovsdb-client dump itself sends a (select-only) transact: keep it out of the window
    small = _requests(nb, lambda: read_direct(nb.remotes, Selection.of([VM_PORT], ["test-ns/vm-a"], ["subnet-a"]), 5))
    assert len(small) == 2 and all('method="transact"' in r for r in small), small
    assert _transact_ops(small[0]) == ["select", "abort"] and 'params=["_Server",' in small[0]  # its raft role
    assert _transact_ops(small[1]) == ["select", "select", "select", "abort"], small
    assert '"where":[["name","==","subnet-a"]]' in small[1] and f'"where":[["name","==","{VM_PORT}"]]' in small[1]
    assert '"where":[["external_ids","includes",["map",[["pod","test-ns/vm-a"]]]]]' in small[1]
    full = _requests(nb, lambda: read_direct(nb.remotes, Selection(every_port=True), 5))
    assert len(full) == 2 and all('method="transact"' in r for r in full), full
    assert _transact_ops(full[0]) == ["select", "abort"] and 'params=["_Server",' in full[0]  # its raft role
    assert _transact_ops(full[1]) == ["select", "select", "abort"] and '"table":"Logical_Switch_Port"' in full[1]
    assert '"table":"Logical_Switch"' in full[1]
    assert nb_dump(nb) == before


def test_a_host_that_does_not_resolve_is_said_at_once_not_blamed_on_the_timeout() -> None:
    t0 = time.monotonic()
    with pytest.raises(NbUnreachable) as caught:
        _lookup("tcp:no-such-host.invalid:6641", [VM_PORT], [], timeout=5)
    assert "cannot resolve host" in str(caught.value) and "did not answer within" not in str(caught.value)
    assert time.monotonic() - t0 < 4.0


def test_a_narrow_read_refuses_an_empty_selection(nb) -> None:
    # A selection with nothing in it is a caller bug (the read would be a transaction of no select): refused before
    # any connection.
    with pytest.raises(ValueError, match="at least one port name or pod key"):
        _lookup(nb.remotes, [], [], timeout=5)


def test_a_large_reply_is_gathered_and_read_row_by_row(nb, monkeypatch) -> None:
    """Every reply taken as a large one (the threshold at 0 bytes): completed by ovsdb-server's closing
    `,"error":null}` and read row by row, it holds every port the small path reads."""
    from kubectl_ovn_lsp.nb import transact

    small = read_direct(nb.remotes, Selection(every_port=True), 5)
    monkeypatch.setattr(transact, "SMALL_REPLY", 0)
    monkeypatch.setattr(transact, "RECV_SIZE", 97)  # many chunks, most of them ending mid-token
    large = read_direct(nb.remotes, Selection(every_port=True), 5)
    assert large == small and len(large.ports) > 3 and large.switches
