"""A direct NB read as one OVSDB `transact` of `select`s ending in `abort`, the transaction `ovsdb-client query`
sends on the exec path (`nb/query.py`): every port (audit, triage), or explain's names, pod keys and switches
(`nb/direct.py` says why explain left the IDL).

Why not python-ovs's IDL or JSON-RPC layer: a full IDL sync of 50,000 ports takes 20–24 s and ~300 MB, and
python-ovs parses replies with a pure-Python JSON parser (explain's few ports still bring their switches' `ports`,
~0.8 s of CPU through the IDL); a `select` answered by the server and parsed with the standard library takes about
a second for every port and a few milliseconds for a handful. The transaction
ends in `abort`, so the server can never commit it: the direct path is read-only by OVSDB's own rules, like
`ovsdb-client query`. Read-only transactions are answered by any raft member (no leader needed), so the members
are tried in order (`nb/remotes.py` holds the member list and the TLS context).
"""

from __future__ import annotations

import errno
import json
import socket
import ssl as ssl_module
import time
from collections.abc import Iterable
from typing import Any

from kubectl_ovn_lsp.deadline import Deadline
from kubectl_ovn_lsp.model.records import NbLookup, Selection
from kubectl_ovn_lsp.nb.errors import NbDirectError, NbQueryError, NbSchemaError, NbTlsError, NbUnreachable
from kubectl_ovn_lsp.nb.query import DB_NAME, selection_transaction
from kubectl_ovn_lsp.nb.remotes import tls_reason
from kubectl_ovn_lsp.nb.reply import lookup_of_results, streamed_results

RECV_SIZE = 1 << 20
MEMBER_TIMEOUT = 5.0  # seconds: the default of --nb-member-timeout, a member's first answer (its role)


def _split(remote: str) -> tuple[str, str, int]:
    scheme, rest = remote.split(":", 1)
    host, _, port = rest.rpartition(":")
    return scheme, host.strip("[]"), int(port)


SMALL_REPLY = 1 << 16  # bytes: below this every chunk that ends in "}" is tried as a whole message
_REPLY_HEAD = '{"id":0,"result":'
_REPLY_TAIL = b',"error":null}'


def _transact(
    remote: str, txn: list[Any], deadline: float | None, context: ssl_module.SSLContext | None
) -> Iterable[Any]:
    """Send one JSON-RPC `transact` (txn + abort) and return its results; answers server `echo`s.
    `deadline`: a time.monotonic() value, or None for no limit.

    A large reply (every port: 15 MB at 50,000 ports, 150 MB at 500,000) is gathered as chunks and tried only once
    it ends as ovsdb-server ends a reply (`,"error":null}`); its results are then read one row at a time
    (`query.streamed_results`) instead of as one decoded tree. Growing one bytes buffer and decoding it at every
    chunk that happened to end in "}" was quadratic."""

    def left() -> float | None:
        return None if deadline is None else max(0.01, deadline - time.monotonic())

    scheme, host, port = _split(remote)
    sock = socket.create_connection((host, port), timeout=left())
    try:
        if scheme == "ssl":
            assert context is not None
            sock = context.wrap_socket(sock)
        request = {"method": "transact", "params": txn + [{"op": "abort"}], "id": 0}
        sock.sendall(json.dumps(request, separators=(",", ":")).encode())
        decoder = json.JSONDecoder()
        chunks: list[bytes] = []
        size, tail = 0, b""
        while True:
            sock.settimeout(left())
            chunk = sock.recv(RECV_SIZE)
            if not chunk:
                raise ConnectionResetError(errno.ECONNRESET, "connection closed by the NB server")
            chunks.append(chunk)
            size, tail = size + len(chunk), (tail + chunk)[-32:]
            end = tail.rstrip()
            if not end.endswith(b"}") or (size > SMALL_REPLY and not end.endswith(_REPLY_TAIL)):
                continue
            joined = b"".join(chunks)
            chunks, text = [joined], joined.decode()
            if text.startswith(_REPLY_HEAD) and end.endswith(_REPLY_TAIL):
                return streamed_results(text, len(_REPLY_HEAD))  # our reply, read lazily
            try:
                message, consumed = decoder.raw_decode(text)
            except RecursionError:
                raise NbSchemaError(f"{remote}: the reply is JSON nested too deeply to read") from None
            except ValueError:
                continue  # a reply split right after a "}": wait for the rest
            rest = text[consumed:].lstrip().encode()
            chunks, size, tail = ([rest] if rest else []), len(rest), rest[-32:]
            if not isinstance(message, dict):
                raise NbSchemaError(f"{remote}: not a JSON-RPC message: {str(message)[:80]}")
            if message.get("method") == "echo":
                sock.sendall(
                    json.dumps({"result": message.get("params", []), "error": None, "id": message.get("id")}).encode()
                )
                continue
            if message.get("id") != 0:
                continue
            if message.get("error"):
                raise NbSchemaError(f"{remote}: {message['error']}")
            result = message.get("result") or []
            if not isinstance(result, list):
                raise NbSchemaError(f"{remote}: a transact result that is not a list: {str(result)[:80]}")
            return result
    finally:
        sock.close()


def read_select(
    parts: list[str],
    selection: Selection,
    budget: Deadline,
    context: ssl_module.SSLContext | None,
    member_timeout: float = MEMBER_TIMEOUT,
    first: str | None = None,
) -> NbLookup:
    """Read the selection from the first member of `parts` (checked remotes, `remotes.check_remotes`) that answers,
    within the command's budget; `context`: the TLS context for `ssl:` members. Each member's first answer is its
    raft role (`ROLE_QUERY`) within `member_timeout` seconds (`--nb-member-timeout`), even without a budget: a
    member that does not give it (a stopped server accepts and never answers) is skipped with a note, so it can
    neither hang the read nor fail one that another member answers. `first`: the member an earlier read of the
    same command came from, tried first (no follower preference then). Raises NbUnreachable (refused by all, or
    no answer in time), NbTlsError, NbSchemaError."""
    txn = selection_transaction(selection)
    failures: list[str] = []
    tls_resets: list[str] = []
    roles: dict[str, str] = {}
    label = ",".join(parts)
    if first in parts:
        parts = [first, *(r for r in parts if r != first)]
    elif selection.every_port and len(parts) > 1:
        parts, roles = _followers_first(parts, budget, context, member_timeout, failures)
    for index, remote in enumerate(parts):
        what = f"NB {remote}"
        left = budget.timeout(what)  # raises Timeout once the whole budget is spent
        # each member gets an equal share of what is left, so one hung member cannot eat the whole budget
        share = None if left is None else max(0.01, left / (len(parts) - index))
        try:
            if remote not in roles:  # not asked yet: its first answer, bounded even without a budget
                wait = member_timeout if share is None else min(member_timeout, share)
                with budget.guard(what):
                    roles[remote] = _role(remote, time.monotonic() + wait, context)
                if roles[remote] == "silent":  # its share of the budget, or the member bound, is spent
                    failures.append(f"{remote}: {'no answer' if wait < member_timeout else _silent(member_timeout)}")
                    continue
                left = budget.timeout(what)
                share = None if left is None else max(0.01, left / (len(parts) - index))
            with budget.guard(what):
                results = _transact(remote, txn, None if share is None else time.monotonic() + share, context)
        except ssl_module.SSLCertVerificationError as exc:
            raise NbTlsError(
                f"NB {remote}: TLS verification failed: the server's certificate is not signed by the "
                f"CA in --nb-ca-cert ({exc.verify_message})"
            ) from None
        except ssl_module.SSLError as exc:  # a live server's TLS alert: waiting cannot fix it
            raise NbTlsError(
                f"NB {remote}: TLS: the server rejected the client certificate ({tls_reason(exc)}): is it "
                "signed by a CA the NB server trusts?"
            ) from None
        except (ConnectionResetError, BrokenPipeError) as exc:
            # A reset is a dying raft member as often as a rejected certificate: try the next member, and name
            # the certificate only when every member reset the TLS connection.
            if context is not None and remote.startswith("ssl:"):
                tls_resets.append(remote)
            failures.append(f"{remote}: {_os_reason(exc)}")
            continue
        except TimeoutError:
            failures.append(f"{remote}: no answer")
            continue
        except OSError as exc:
            failures.append(f"{remote}: {_os_reason(exc)}")
            continue
        try:
            ports, switches = lookup_of_results(results)
        except NbQueryError as exc:
            raise NbSchemaError(f"NB {remote}: {exc}") from None
        except (ValueError, IndexError, RecursionError):  # the reply, read row by row, is not JSON after all
            raise NbSchemaError(f"NB {remote}: the reply to the select is not JSON (or nested too deeply)") from None
        spared = roles.get(remote) == "follower" and "leader" in roles.values()
        skipped = tuple(
            f"NB {f.split(': ', 1)[0]} not read ({f.split(': ', 1)[1]}); read from {remote}" for f in failures
        )
        return NbLookup(
            ports=ports,  # in the server's order, as the exec path reads them (sorting 50,000 cost ~60 ms)
            via="direct",
            endpoint=remote,
            leader_only=False,
            notes=skipped
            + (
                (
                    f"every NB port read from {remote}, a raft follower: a read needs no leader, and a full one "
                    "would cost the single-threaded leader seconds of CPU in a large cluster",
                )
                if spared
                else ()
            ),
            switches=switches,
            every_switch=selection.every_port,
            switches_asked=selection.switches,
        )
    if tls_resets and len(tls_resets) == len(failures):
        raise NbTlsError(
            f"NB {label}: TLS: the server closed the connection during the handshake: the server rejected the client "
            "certificate? (is it signed by a CA the NB server trusts?)"
        )
    if failures and all("connection refused" in f for f in failures):
        raise NbUnreachable(f"NB {label}: connection refused")
    if failures and not any(f.endswith(": no answer") for f in failures):  # each failed at once: say why, not "time"
        if len(failures) == 1 and failures[0].startswith(f"{label}: "):  # one member: name it once
            raise NbUnreachable(f"NB {failures[0]}")
        raise NbUnreachable(f"NB {label}: {'; '.join(failures)}")
    raise NbUnreachable(f"NB {label} did not answer within {budget.budget} (--request-timeout): {'; '.join(failures)}")


ROLE_QUERY = [
    "_Server",
    {"op": "select", "table": "Database", "where": [["name", "==", DB_NAME]], "columns": ["leader", "connected"]},
]


def _silent(member_timeout: float) -> str:
    return f"no answer to its raft role probe within {member_timeout:g}s (--nb-member-timeout)"


def _role(remote: str, deadline: float, context: ssl_module.SSLContext | None) -> str:
    """What the member says in its `_Server` database by `deadline` (time.monotonic()): leader, follower (a
    connected raft follower of OVN_Northbound), unknown (an answer without those), or silent (no answer at all).
    A refused connection or a TLS failure is raised: the read's own handling names it."""
    try:
        first = next(iter(_transact(remote, ROLE_QUERY, deadline, context)), None)
    except TimeoutError:
        return "silent"
    except (ValueError, IndexError, TypeError, NbDirectError):  # an odd answer: the read will name what is wrong
        return "unknown"
    try:
        rows = list(first.get("rows") or []) if isinstance(first, dict) else []  # streamed rows: an iterator
        row = rows[0] if rows and isinstance(rows[0], dict) else {}
    except (ValueError, IndexError, TypeError):
        row = {}
    if row.get("leader") is True:
        return "leader"
    if row.get("leader") is False and row.get("connected") is True:
        return "follower"
    return "unknown"


def _followers_first(
    parts: list[str],
    budget: Deadline,
    context: ssl_module.SSLContext | None,
    member_timeout: float,
    failures: list[str],
) -> tuple[list[str], dict[str, str]]:
    """A full read's members in order of preference: those that say (in their `_Server` database) they are a
    connected raft follower of OVN_Northbound, then those that did not say, the leader last; a stable sort, so
    the user's order holds within each group. A member that does not answer within `member_timeout` is left
    out, with its failure in `failures`; one that does not answer within a shorter share of the budget, or whose
    connection fails, is kept for the read to try and name. Returns (members, member → follower|leader|unknown)."""
    roles: dict[str, str] = {}
    for remote in parts:
        left = budget.remaining()
        wait = member_timeout if left is None else min(member_timeout, left / (2 * len(parts)))
        try:
            with budget.guard(f"NB {remote}"):
                role = _role(remote, time.monotonic() + wait, context)
        except (OSError, NbDirectError):  # refused, TLS: the read names it
            role = "unknown"
        if role == "silent" and wait >= member_timeout:
            failures.append(f"{remote}: {_silent(member_timeout)}")
            continue
        roles[remote] = "unknown" if role == "silent" else role  # silent within a short share: the read tries it
    rank = {"follower": 0, "unknown": 1, "leader": 2}
    return sorted(roles, key=lambda r: rank[roles[r]]), roles


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, ConnectionRefusedError) or exc.errno == errno.ECONNREFUSED:
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve host ({exc.strerror})"
    return " ".join((exc.strerror or str(exc)).split())


__all__ = ["read_select"]
