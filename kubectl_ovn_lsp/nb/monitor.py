"""explain's direct NB read (`--nb tcp:…|ssl:…`, raft member lists): ovsdbapp's IDL with conditional monitoring.

ovsdbapp provides the IDL class (`OvsdbIdl`) and the schema helper; we do not use its API/Connection layer:
ovsdbapp keeps one connection per API class (a second API object silently reuses the first) and runs a thread
that must be stopped. Here one IDL registers only the columns read, on Logical_Switch_Port (with a condition: OR
of `name == x` and `external_ids includes {pod: key}`) and, when asked, Logical_Switch (`name == s`), sent in the
first monitor request, so the server sends only matching rows (~0.2 s at 50,000 ports). `leader_only=False`:
any raft member answers, which matters right after a leader dies. The IDL is only polled: it never opens a
transaction, so it cannot write. It reads the one member that answered a probe (`nb/transact.probe`, run first by
`nb/direct.py`): python-ovs would retry a refused or unknown remote or a certificate problem until the deadline,
and shuffles a member list (a stalled raft leader accepts the connection but never answers). Reading every port
(audit, triage) is `nb/transact.py`'s `select` instead: a full IDL sync of 50,000 ports takes 20–24 s and
~300 MB. `ovs` is imported lazily.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kubectl_ovn_lsp.deadline import Deadline
from kubectl_ovn_lsp.model.records import NbLookup, NbPort, Selection
from kubectl_ovn_lsp.nb.errors import NbQueryError, NbSchemaError, NbUnreachable
from kubectl_ovn_lsp.nb.query import DB_NAME, SWITCH_COLUMNS, SWITCH_TABLE, TABLE, checked_port
from kubectl_ovn_lsp.nb.remotes import NbSslFiles

COLUMNS = ["name", "type", "external_ids", "addresses", "options", "port_security"]
COLUMN_ATOMS = {  # (key, value) atomic types of each column read, as ovn-nb.ovsschema declares them
    "name": ("string", None),
    "type": ("string", None),
    "external_ids": ("string", "string"),
    "addresses": ("string", None),
    "options": ("string", "string"),
    "port_security": ("string", None),
}


def _atoms(declared: Any) -> tuple[str | None, str | None]:
    """An OVSDB column type (`"string"`, `{"key": …, "value": …}`, a key as `{"type": …}`) as (key, value) atoms."""

    def atom(part: Any) -> str | None:
        return part if isinstance(part, str) else part.get("type") if isinstance(part, dict) else None

    if isinstance(declared, str):
        return declared, None
    if isinstance(declared, dict):
        return atom(declared.get("key")), atom(declared.get("value"))
    return None, None


def _set_ssl(ssl: NbSslFiles | None) -> None:
    """python-ovs keeps TLS files process-wide and reads them per connection: set before the first connect."""
    if ssl is None:
        return
    from ovs.stream import Stream

    Stream.ssl_set_private_key_file(ssl.private_key)
    Stream.ssl_set_certificate_file(ssl.certificate)
    Stream.ssl_set_ca_cert_file(ssl.ca_cert)


def _block(wait: Any, deadline: Deadline) -> None:
    """Sleep until the session has something to do or the deadline passes."""
    import ovs.poller

    poller = ovs.poller.Poller()
    wait(poller)
    left = deadline.remaining()
    if left is not None:
        poller.timer_wait(max(0, int(left * 1000)))
    poller.block()


def _fetch_schema(remotes: list[str], deadline: Deadline, label: str) -> tuple[Any, str]:
    """`get_schema` from the first remote that answers, and that remote, bounded by `deadline` (ovsdbapp's
    helper blocks without a timeout). Fails fast when every remote has refused the connection."""
    import errno

    import ovs.jsonrpc

    session = ovs.jsonrpc.Session.open_multiple(remotes)
    refused: dict[str, int] = {}
    record = session.reconnect.connect_failed

    def connect_failed(now: int, error: int) -> None:
        refused[session.reconnect.get_name()] = error
        record(now, error)

    session.reconnect.connect_failed = connect_failed
    try:
        request = None
        seqno = None
        while not deadline.expired():
            session.run()
            if session.is_connected() and session.get_seqno() != seqno:
                seqno = session.get_seqno()
                request = ovs.jsonrpc.Message.create_request("get_schema", [DB_NAME])
                session.send(request)
            msg = session.recv() if session.is_connected() else None
            if msg is not None and request is not None and msg.id == request.id:
                if msg.type == ovs.jsonrpc.Message.T_ERROR or msg.error:
                    raise NbSchemaError(f"{session.get_name()}: no {DB_NAME} database ({msg.error})")
                return msg.result, session.get_name()
            if len(refused) == len(remotes) and all(e == errno.ECONNREFUSED for e in refused.values()):
                raise NbUnreachable(f"NB {label}: connection refused")
            if msg is None:
                _block(lambda p: (session.wait(p), session.recv_wait(p)), deadline)
    finally:
        session.close()
    raise NbUnreachable(f"NB {label} did not answer within {deadline.budget} (--request-timeout)")


def _condition(names: Iterable[str], pod_keys: Iterable[str]) -> list[Any]:
    """Monitor clauses are OR-ed: one per candidate name and one per `<ns>/<name>` pod key."""
    cond: list[Any] = [["name", "==", n] for n in sorted(set(names))]
    cond += [["external_ids", "includes", ["map", [["pod", k]]]] for k in sorted(set(pod_keys))]
    return cond


def _row_to_port(row: Any) -> NbPort:
    """The IDL's row as an NbPort, checked against the schema's types as the select path checks them."""
    try:
        port = NbPort(
            name=row.name,
            type=row.type,
            external_ids=dict(row.external_ids),
            addresses=tuple(row.addresses),
            options=dict(row.options),
            uuid=str(row.uuid),
            port_security=tuple(row.port_security),
        )
    except (TypeError, ValueError):
        raise NbQueryError(f"NB reply: a {TABLE} row whose columns are not the OVN NB schema's") from None
    return checked_port(port)


def read_monitor(member: str, label: str, selection: Selection, deadline: Deadline, ssl: NbSslFiles | None) -> NbLookup:
    """Read the Logical_Switch_Ports the selection names or keys, and the Logical_Switches it names (their `ports`
    as far as they hold the ports read: the IDL drops references to rows it does not monitor), from `member` (the
    one that answered the probe; `label`: the remote list, for messages). Raises NbUnreachable when nothing
    answers before the deadline, NbSchemaError for a database that is not OVN's; ValueError for a selection of
    every port or of nothing (the IDL would sync the whole table)."""
    if selection.every_port or not (selection.names or selection.pod_keys):
        raise ValueError("an IDL read needs at least one port name or pod key, and never every port")
    try:
        with deadline.guard(f"NB {label}"):
            return _read(
                [member],
                label,
                (list(selection.names), list(selection.pod_keys), list(selection.switches)),
                deadline,
                ssl,
            )
    except OSError as exc:  # python-ovs lets some socket/TLS errors through its reconnect loop
        raise NbUnreachable(f"NB {label}: {type(exc).__name__}: {' '.join(str(exc).split())}") from None


def _read(
    parts: list[str],
    label: str,
    wanted: tuple[list[str], list[str], list[str]],
    deadline: Deadline,
    ssl: NbSslFiles | None,
) -> NbLookup:
    names, pod_keys, switch_names = wanted
    _set_ssl(ssl)
    from ovsdbapp.backend.ovs_idl.connection import OvsdbIdl
    from ovsdbapp.backend.ovs_idl.idlutils import create_schema_helper

    schema_json, answered = _fetch_schema(parts, deadline, label)
    helper = create_schema_helper(schema_json)
    table = schema_json.get("tables", {}).get(TABLE, {}).get("columns", {})
    missing = [c for c in COLUMNS if c not in table]
    if missing:
        raise NbSchemaError(f"{label}: {TABLE} lacks column(s) {', '.join(missing)}")
    wrong = [c for c in COLUMNS if _atoms(table[c].get("type")) != COLUMN_ATOMS[c]]
    if wrong:  # the monitor condition would be refused, and python-ovs would retry it until the deadline
        raise NbSchemaError(
            f"NB {label}: {TABLE} column(s) {', '.join(wrong)} are not of the type the OVN NB schema gives them "
            "(is this an OVN Northbound database?)"
        )
    helper.register_columns(TABLE, COLUMNS)
    if switch_names:
        helper.register_columns(SWITCH_TABLE, list(SWITCH_COLUMNS))
    idl = OvsdbIdl(answered, helper, leader_only=False)
    try:
        idl.cond_change(TABLE, _condition(names, pod_keys))
        if switch_names:
            idl.cond_change(SWITCH_TABLE, [["name", "==", n] for n in switch_names])
        while not (idl.state == idl.IDL_S_MONITORING and idl.change_seqno > 0):
            if deadline.expired():
                raise NbUnreachable(f"NB {label} did not answer within {deadline.budget} (--request-timeout)")
            idl.run()
            if not (idl.state == idl.IDL_S_MONITORING and idl.change_seqno > 0):
                _block(idl.wait, deadline)
        ports = tuple(
            sorted((_row_to_port(r) for r in idl.tables[TABLE].rows.values()), key=lambda p: (p.name, p.uuid))
        )
        held = {
            str(r.name): frozenset(str(p.uuid) for p in r.ports)
            for r in (idl.tables[SWITCH_TABLE].rows.values() if switch_names else ())
        }
        endpoint = idl.session_name()
    finally:
        idl.close()
    asked = tuple(switch_names)
    return NbLookup(
        ports=ports, via="direct", endpoint=endpoint, leader_only=False, switches=held, switches_asked=asked
    )
