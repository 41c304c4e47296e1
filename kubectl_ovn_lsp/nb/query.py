"""The one description of the NB read both backends send: table, columns, selections, the transaction, its parser.

Why a transaction of `select`s: the server filters (40–70 ms at 50,000 ports, where `ovn-nbctl find`
downloads the whole table in 1.5–2 s), and it ends in an `abort` (appended by `ovsdb-client query` on the exec
path, by `nb/direct.py` on the direct path), so OVSDB itself guarantees it can never commit. Two selections:
by port names and `external_ids:pod` keys (explain), and every port GC could list (audit: one select, no
filter; GC's own type/vendor filter is applied by the model, which also needs the ports it hides). Both also
select the Logical_Switches whose `ports` the model checks (every switch for audit; for explain the Subnets the
owner is allocated on): which switch holds a port, and whether the switch its `external_ids:ls` names exists
(docs/kube-ovn-facts.md, "Port state" and "GC cycles that cannot complete"). The exec argv is a list (never a
shell string) and runs nothing that `check_allowed_argv` rejects. No I/O here.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kubectl_ovn_lsp.model.records import NbPort
from kubectl_ovn_lsp.nb.errors import NbArgvRejected, NbQueryError

DB_NAME = "OVN_Northbound"
TABLE = "Logical_Switch_Port"
COLUMNS = ("_uuid", "name", "type", "external_ids", "addresses", "options", "port_security")
SWITCH_TABLE = "Logical_Switch"
SWITCH_COLUMNS = ("name", "ports")
TABLES = (TABLE, SWITCH_TABLE)
DEFAULT_NB_SOCKET = "unix:/var/run/ovn/ovnnb_db.sock"
PROGRAM = "ovsdb-client"
SUBCOMMAND = "query"
_TIMEOUT_RE = re.compile(r"--timeout=[1-9][0-9]{0,4}")
_ENDPOINT_RE = re.compile(r"(unix:/[\w./-]+|(tcp|ssl):[\w.:\[\]-]+(,(tcp|ssl):[\w.:\[\]-]+)*)")


@dataclass(frozen=True)
class Selection:
    """Which rows to read: Logical_Switch_Ports by name and by pod key plus the named Logical_Switches (explain),
    or every port and every switch (audit, triage)."""

    names: tuple[str, ...] = ()
    pod_keys: tuple[str, ...] = ()
    every_port: bool = False
    switches: tuple[str, ...] = ()  # Logical_Switch names whose `ports` to read (ignored with every_port)

    @classmethod
    def of(cls, names: Iterable[str], pod_keys: Iterable[str], switches: Iterable[str] = ()) -> Selection:
        return cls(tuple(sorted(set(names))), tuple(sorted(set(pod_keys))), switches=tuple(sorted(set(switches))))

    def describe(self) -> str:
        """For `-v`: what is read, in words."""
        cols, scols = ", ".join(COLUMNS), ", ".join(SWITCH_COLUMNS)
        if self.every_port:
            return f"select {cols} from {TABLE} (every row); select {scols} from {SWITCH_TABLE} (every row)"
        text = (
            f"select {cols} from {TABLE} where name in {list(self.names)} or external_ids:pod in {list(self.pod_keys)}"
        )
        if self.switches:
            text += f"; select {scols} from {SWITCH_TABLE} where name in {list(self.switches)}"
        return text


def selection_transaction(selection: Selection) -> list:
    """The OVSDB transaction (without the abort) for a selection: the switch selects first, so a parser meets the
    switches before the ports (`parse_lookup`)."""
    if selection.every_port:
        return [
            DB_NAME,
            {"op": "select", "table": SWITCH_TABLE, "where": [], "columns": list(SWITCH_COLUMNS)},
            {"op": "select", "table": TABLE, "where": [], "columns": list(COLUMNS)},
        ]
    ops = [DB_NAME] + [
        {"op": "select", "table": SWITCH_TABLE, "where": [["name", "==", name]], "columns": list(SWITCH_COLUMNS)}
        for name in selection.switches
    ]
    return ops + build_query_transaction(selection.names, selection.pod_keys)[1:]


def build_query_transaction(names: Iterable[str], pod_keys: Iterable[str]) -> list:
    """One `select` per name and per `<ns>/<name>` pod key: where-clauses within a select are AND-ed,
    so ORing needs separate selects; the parser deduplicates rows found twice."""
    ops: list = [DB_NAME]
    for name in sorted(set(names)):
        ops.append({"op": "select", "table": TABLE, "where": [["name", "==", name]], "columns": list(COLUMNS)})
    for key in sorted(set(pod_keys)):
        ops.append(
            {
                "op": "select",
                "table": TABLE,
                "where": [["external_ids", "includes", ["map", [["pod", key]]]]],
                "columns": list(COLUMNS),
            }
        )
    return ops


def build_query_argv(
    names: Iterable[str], pod_keys: Iterable[str], timeout: float, endpoint: str = DEFAULT_NB_SOCKET
) -> list[str]:
    """`ovsdb-client --timeout=S query <endpoint> <json>` for names/keys; S is whole seconds, at least 1."""
    return selection_argv(Selection.of(names, pod_keys), timeout, endpoint)


def selection_argv(selection: Selection, timeout: float, endpoint: str = DEFAULT_NB_SOCKET) -> list[str]:
    """The exec argv for a selection; the timeout is capped so the allowlist's pattern always holds."""
    seconds = min(99999, max(1, math.ceil(timeout)))
    txn = json.dumps(selection_transaction(selection), separators=(",", ":"))
    argv = [PROGRAM, f"--timeout={seconds}", SUBCOMMAND, endpoint, txn]
    check_allowed_argv(argv)
    return argv


def check_allowed_argv(argv: list[str]) -> None:
    """Raise NbArgvRejected unless argv is exactly `ovsdb-client --timeout=N query <endpoint> <selects>`
    where every operation is a `select` on Logical_Switch_Port or Logical_Switch of OVN_Northbound."""
    if not isinstance(argv, list) or len(argv) != 5 or not all(isinstance(a, str) for a in argv):
        raise NbArgvRejected("exec argv must be a list of 5 strings")
    program, timeout, sub, endpoint, txn = argv
    if program != PROGRAM or sub != SUBCOMMAND:
        raise NbArgvRejected(f"only '{PROGRAM} {SUBCOMMAND}' may be run, not {program!r} {sub!r}")
    if not _TIMEOUT_RE.fullmatch(timeout):
        raise NbArgvRejected(f"bad timeout option {timeout!r}")
    if not _ENDPOINT_RE.fullmatch(endpoint):
        raise NbArgvRejected(f"bad NB endpoint {endpoint!r}")
    try:
        ops = json.loads(txn)
    except ValueError as exc:
        raise NbArgvRejected(f"query is not JSON: {exc}") from None
    if not isinstance(ops, list) or len(ops) < 2 or ops[0] != DB_NAME:
        raise NbArgvRejected(f"query must be a non-empty transaction on {DB_NAME}")
    for op in ops[1:]:
        if not isinstance(op, dict) or op.get("op") != "select" or op.get("table") not in TABLES:
            raise NbArgvRejected(f"only 'select' on {' or '.join(TABLES)} is allowed, got {str(op)[:80]}")


def decode_datum(value: Any) -> Any:
    """OVSDB wire value → Python: `["set",[…]]` → list, `["map",[[k,v]…]]` → dict, `["uuid",u]` → u."""
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str):
        kind, body = value
        if kind == "set":
            return [decode_datum(v) for v in body]
        if kind == "map":
            return {decode_datum(k): decode_datum(v) for k, v in body}
        if kind in ("uuid", "named-uuid"):
            return body
    return value


def _as_list(value: Any) -> list:
    decoded = decode_datum(value)
    return decoded if isinstance(decoded, list) else [decoded]  # a 1-element set travels as the bare atom


def row_to_port(row: dict) -> NbPort:
    """One selected row (wire format) → NbPort."""
    return NbPort(
        name=row.get("name", ""),
        type=row.get("type", ""),
        external_ids=decode_datum(row.get("external_ids", ["map", []])),
        addresses=tuple(_as_list(row.get("addresses", ["set", []]))),
        options=decode_datum(row.get("options", ["map", []])),
        uuid=decode_datum(row.get("_uuid", "")),
        port_security=tuple(_as_list(row.get("port_security", ["set", []]))),
    )


def _is_switch_row(row: dict) -> bool:
    """A Logical_Switch row of our selects (`name`, `ports`); a port row always carries `type`."""
    return "ports" in row and "type" not in row


def parse_query_output(text: str) -> tuple[NbPort, ...]:
    """Parse ovsdb-client's JSON reply (one result per select) into ports, deduplicated by uuid, in order.
    Raise NbQueryError on an OVSDB error result or output that is not a reply."""
    return parse_lookup(text)[0]


def parse_lookup(text: str) -> tuple[tuple[NbPort, ...], dict[str, frozenset[str]]]:
    """ovsdb-client's JSON reply → (ports, switch name → the UUIDs of the ports it holds); NbQueryError as above."""
    try:
        results = json.loads(text)
    except ValueError:
        raise NbQueryError(f"NB query output is not JSON: {text.strip()[:200]!r}") from None
    if isinstance(results, dict) and "error" in results:
        results = [results]
    if not isinstance(results, list):
        raise NbQueryError(f"NB query output is not a list of results: {text.strip()[:200]!r}")
    return lookup_of_results(results)


def ports_of_results(results: list) -> tuple[NbPort, ...]:
    """Ports from a transaction's result list (one entry per operation), deduplicated by uuid, in order."""
    return lookup_of_results(results)[0]


def lookup_of_results(results: list) -> tuple[tuple[NbPort, ...], dict[str, frozenset[str]]]:
    """Ports (deduplicated by uuid, in order) and switches (name → port UUIDs) from a transaction's results."""
    ports: dict[str, NbPort] = {}
    switches: dict[str, frozenset[str]] = {}
    for res in results:
        if res is None:
            continue  # operations after a failed one are not executed
        if not isinstance(res, dict):
            raise NbQueryError(f"unexpected NB query result: {str(res)[:200]}")
        if res.get("error"):
            if res["error"] == "aborted":
                continue  # the abort that `query` appends, should it ever be echoed
            raise NbQueryError(f"NB query failed: {res['error']}: {res.get('details', '')}".rstrip(": "))
        for row in res.get("rows", []):
            if _is_switch_row(row):
                switches[str(row.get("name", ""))] = frozenset(_as_list(row.get("ports", ["set", []])))
                continue
            port = row_to_port(row)
            ports.setdefault(port.uuid or port.name, port)
    return tuple(ports.values()), switches
