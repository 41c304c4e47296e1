"""The physical floor of a plugin command: its own requests replayed with the Python standard library only.

    python3 benchmarks/floor.py PLAN.json

A plan (written by `plans.py` from the plugin's own `-v` trace) names the API server, its credentials, and the
steps the plugin took, in its order: GETs (a paged list follows each `metadata.continue` as the plugin does),
one exec over the `v5.channel.k8s.io` WebSocket (a minimal reader, below), or one OVSDB `transact` of the same
selection ending in `abort` (`--nb tcp:`). Every answer is decoded with `json` (the plugin must decode it too),
and the items are kept until the end, so the floor's memory is what holding the raw data costs.
What is not in the floor is the plugin's own work: kubeconfig and auth, the model, rendering.
Nothing but the standard library is imported (checked by tests/unit/test_benchmarks_floor.py), so the floor is
what any Python program that wants the same data pays. Prints one JSON line: requests, bytes, items.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import ssl
import struct
import sys
import urllib.parse


def connection(plan: dict) -> http.client.HTTPConnection:
    url = urllib.parse.urlsplit(plan["server"])
    if url.scheme == "https":
        return http.client.HTTPSConnection(url.hostname or "", url.port or 443, context=tls_context(plan))
    return http.client.HTTPConnection(url.hostname or "", url.port or 80)


def tls_context(plan: dict) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=plan.get("ca") or None)
    if plan.get("insecure"):
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if plan.get("cert"):
        context.load_cert_chain(plan["cert"], plan.get("key"))
    return context


def get(conn: http.client.HTTPConnection, plan: dict, path: str, query: list) -> tuple[dict, int]:
    target = path + ("?" + urllib.parse.urlencode([tuple(q) for q in query]) if query else "")
    conn.request("GET", target, headers={"Accept": "application/json", **plan["headers"]})
    response = conn.getresponse()
    body = response.read()
    return json.loads(body), len(body)


def paged(conn: http.client.HTTPConnection, plan: dict, step: dict, kept: list) -> tuple[int, int]:
    """Every page of a list, following `continue` (client-go's pager); (requests, bytes)."""
    requests, size, token = 0, 0, ""
    while True:
        query = list(step["query"]) + ([["continue", token]] if token else [])
        page, n = get(conn, plan, step["path"], query)
        requests, size = requests + 1, size + n
        kept.extend(page.get("items") or [])
        token = (page.get("metadata") or {}).get("continue") or ""
        if not token or not step.get("paged"):
            return requests, size


def exec_ws(plan: dict, step: dict) -> tuple[str, int]:
    """Run one exec over a WebSocket (RFC 6455 client, v5.channel.k8s.io); (stdout, bytes received)."""
    url = urllib.parse.urlsplit(plan["server"])
    raw = socket.create_connection((url.hostname, url.port or (443 if url.scheme == "https" else 80)))
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock = tls_context(plan).wrap_socket(raw, server_hostname=url.hostname) if url.scheme == "https" else raw
    key = base64.b64encode(os.urandom(16)).decode()
    target = step["path"] + "?" + urllib.parse.urlencode([tuple(q) for q in step["query"]])
    headers = {
        "Host": url.netloc,
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": key,
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Protocol": "v5.channel.k8s.io",
        **plan["headers"],
    }
    request = f"GET {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    sock.sendall(request.encode())
    reader = sock.makefile("rb")
    status = reader.readline()
    if b" 101 " not in status:
        raise SystemExit(f"exec: {status!r}")
    while reader.readline() not in (b"\r\n", b""):
        pass
    channels: dict[int, list[bytes]] = {}
    received, current = 0, -1
    while True:
        head = reader.read(2)
        if len(head) < 2:
            break
        opcode, length = head[0] & 0x0F, head[1] & 0x7F
        if length == 126:
            length = struct.unpack("!H", reader.read(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", reader.read(8))[0]
        mask = reader.read(4) if head[1] & 0x80 else b""
        data = reader.read(length)
        if mask:
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        received += length
        if opcode == 0x8:  # close
            break
        if opcode in (0x1, 0x2) and data:  # a message's first byte is its channel (255: a stream closed)
            current = data[0]
            data = data[1:]
        if opcode in (0x0, 0x1, 0x2) and current != 255:  # 0: a continuation of the current message
            channels.setdefault(current, []).append(data)
    sock.close()
    return b"".join(channels.get(1, [])).decode("utf-8", "replace"), received


def transact(step: dict) -> tuple[list, int]:
    """One OVSDB JSON-RPC `transact` of the plan's operations plus `abort`; (result, bytes received)."""
    _, host, port = step["remote"].split(":")
    sock = socket.create_connection((host, int(port)))
    request = {"method": "transact", "params": step["txn"] + [{"op": "abort"}], "id": 0}
    sock.sendall(json.dumps(request, separators=(",", ":")).encode())
    chunks: list[bytes] = []
    decoder = json.JSONDecoder()
    received = 0
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise SystemExit("NB closed the connection")
        chunks.append(chunk)
        received += len(chunk)
        if not chunk.rstrip().endswith(b"}"):
            continue
        try:
            message, _ = decoder.raw_decode(b"".join(chunks).decode())
        except ValueError:
            continue
        sock.close()
        return message.get("result") or [], received


def run(plan: dict) -> dict:
    conn = connection(plan)
    kept: list = []
    requests = size = 0
    for step in plan["steps"]:
        if step["kind"] == "get":
            r, n = paged(conn, plan, step, kept)
            requests, size = requests + r, size + n
        elif step["kind"] == "exec":
            stdout, n = exec_ws(plan, step)
            kept.append(json.loads(stdout) if stdout.strip() else None)
            requests, size = requests + 1, size + n
        elif step["kind"] == "nb":
            result, n = transact(step)
            kept.append(result)
            requests, size = requests + 1, size + n
    conn.close()
    return {"requests": requests, "bytes": size, "kept": len(kept)}


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        plan = json.load(handle)
    print(json.dumps(run(plan)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
