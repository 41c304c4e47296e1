"""Bulk-load switches and ports into NB in ONE JSON-RPC `transact` over the unix socket.

Why not `ovn-nbctl`: its per-command work is O(n), so 5,000 `lsp-add` on top of 50,000 ports take minutes; one
transaction of 50,000 inserts takes ~3 s. Why not `ovsdb-client transact`: the whole transaction is one argv
string and hits "Argument list too long". Ports are inserted with named-uuids and referenced from their switch's
`ports` in the same transaction; an unreferenced Logical_Switch_Port would be garbage-collected.
"""

from __future__ import annotations

import gc
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from ovn_lsp_sandbox.nb_content import PortSpec, SwitchSpec

DB_NAME = "OVN_Northbound"


class NbLoadError(RuntimeError):
    """NB refused the load transaction, or the socket failed; the message carries OVSDB's error."""


@dataclass(frozen=True)
class LoadResult:
    switches: int
    ports: int
    seconds: float


def _map(d: dict[str, str]) -> list:
    return ["map", [[k, v] for k, v in d.items()]]


def _port_row(p: PortSpec) -> dict:
    row: dict = {"name": p.name}
    if p.type:
        row["type"] = p.type
    if p.addresses:
        row["addresses"] = ["set", list(p.addresses)]
    if p.port_security:
        row["port_security"] = ["set", list(p.port_security)]
    if p.external_ids:
        row["external_ids"] = _map(p.external_ids)
    if p.options:
        row["options"] = _map(p.options)
    return row


def build_load_transaction(switches: list[SwitchSpec]) -> list:
    """The `transact` params: one insert per port (named `p<N>`) and per switch, switches referencing ports."""
    ops: list = [DB_NAME]
    n = 0
    for s_index, sw in enumerate(switches):
        refs = []
        for port in sw.ports:
            ops.append({"op": "insert", "table": "Logical_Switch_Port", "row": _port_row(port), "uuid-name": f"p{n}"})
            refs.append(["named-uuid", f"p{n}"])
            n += 1
        row: dict = {"name": sw.name, "ports": ["set", refs]}
        if sw.external_ids:
            row["external_ids"] = _map(sw.external_ids)
        if sw.other_config:
            row["other_config"] = _map(sw.other_config)
        ops.append({"op": "insert", "table": "Logical_Switch", "row": row, "uuid-name": f"s{s_index}"})
    return ops


def check_reply(reply: dict, ops: list) -> None:
    """Raise NbLoadError for a JSON-RPC error or any failed operation (including a failed commit)."""
    if reply.get("error") is not None:
        raise NbLoadError(f"NB load failed: {reply['error']}")
    results = reply.get("result") or []
    for i, res in enumerate(results):
        if isinstance(res, dict) and res.get("error"):
            what = f"operation {i + 1} ({_describe(ops[i + 1])})" if i + 1 < len(ops) else "commit"
            raise NbLoadError(f"NB load failed at {what}: {res['error']}: {res.get('details', '')}".rstrip(": "))
    if len(results) < len(ops) - 1:
        raise NbLoadError(f"NB load failed: {len(results)} results for {len(ops) - 1} operations")


def _describe(op: dict) -> str:
    return f"{op.get('op')} {op.get('table')} {op.get('row', {}).get('name', '')}".strip()


def _recv_reply(sock: socket.socket, request_id: int) -> dict:
    """Read JSON-RPC messages until the reply to `request_id`, answering the server's echo probes."""
    decoder = json.JSONDecoder()
    buf = ""
    raw = b""
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise NbLoadError("NB closed the connection before replying to the load transaction")
        raw += chunk
        try:
            buf += raw.decode()
            raw = b""
        except UnicodeDecodeError:
            continue  # a multi-byte character was split across reads
        while buf:
            buf = buf.lstrip()
            try:
                msg, end = decoder.raw_decode(buf)
            except json.JSONDecodeError:
                break
            buf = buf[end:]
            if msg.get("method") == "echo":
                sock.sendall(json.dumps({"id": msg.get("id"), "result": msg.get("params"), "error": None}).encode())
            elif msg.get("id") == request_id:
                return msg


def _connect_unix(sock: socket.socket, path: str) -> None:
    """Connect even when the path exceeds AF_UNIX's ~107 bytes (deep pytest/sandbox dirs), as OVS itself does:
    through /proc/self/fd of the opened directory."""
    if len(path.encode()) < 100:
        sock.connect(path)
        return
    fd = os.open(os.path.dirname(path) or ".", os.O_RDONLY | os.O_DIRECTORY)
    try:
        sock.connect(f"/proc/self/fd/{fd}/{os.path.basename(path)}")
    finally:
        os.close(fd)


def load_switches(unix_socket: str | Path, switches: list[SwitchSpec], timeout: float = 120.0) -> LoadResult:
    """Insert `switches` and their ports in one transaction on the NB unix socket; raise NbLoadError on failure."""
    request_id = 1
    t0 = time.monotonic()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # 100,000s of small dicts: the cyclic GC alone would triple the build time
    try:
        ops = build_load_transaction(switches)
        payload = json.dumps({"method": "transact", "params": ops, "id": request_id}, separators=(",", ":"))
    finally:
        if gc_was_enabled:
            gc.enable()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            _connect_unix(sock, str(unix_socket))
            sock.sendall(payload.encode())
            reply = _recv_reply(sock, request_id)
    except OSError as exc:
        raise NbLoadError(f"NB load over {unix_socket} failed: {exc}") from exc
    check_reply(reply, ops)
    return LoadResult(
        switches=len(switches), ports=sum(len(s.ports) for s in switches), seconds=round(time.monotonic() - t0, 3)
    )
