"""The NB read as both backends send it: table, columns, the transaction of a `Selection` (model/records.py: what
to read, planned by the model), and the exec argv; its reply is parsed by `nb/reply.py`.

Why a transaction of `select`s: the server filters (40–70 ms at 50,000 ports, where `ovn-nbctl find`
downloads the whole table in 1.5–2 s), and it ends in an `abort` (appended by `ovsdb-client query` on the exec
path, by `nb/transact.py` on the direct path), so OVSDB itself guarantees it can never commit. Two selections:
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
from typing import Any

from kubectl_ovn_lsp.model import json_text
from kubectl_ovn_lsp.model.records import Selection
from kubectl_ovn_lsp.nb.errors import NbArgvRejected

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


def describe(selection: Selection) -> str:
    """For `-v`: what a selection reads, in words."""
    cols, scols = ", ".join(COLUMNS), ", ".join(SWITCH_COLUMNS)
    if selection.switch_names:
        return f"select name from {SWITCH_TABLE} (every row)"
    if selection.ls_outside is not None:
        return f"select {cols} from {TABLE} where external_ids:ls not in {list(selection.ls_outside)}"
    if selection.held:
        return f"select {scols} from {SWITCH_TABLE} where ports includes any of {list(selection.held)}"
    if selection.every_port:
        return f"select {cols} from {TABLE} (every row); select {scols} from {SWITCH_TABLE} (every row)"
    names, keys = list(selection.names), list(selection.pod_keys)
    text = f"select {cols} from {TABLE} where name in {names} or external_ids:pod in {keys}"
    if selection.switches:
        text += f"; select {scols} from {SWITCH_TABLE} where name in {list(selection.switches)}"
    return text


def selection_transaction(selection: Selection) -> list[Any]:
    """The OVSDB transaction (without the abort) for a selection: the switch selects first, so a parser meets the
    switches before the ports (`parse_lookup`)."""
    if selection.switch_names:
        return [DB_NAME, {"op": "select", "table": SWITCH_TABLE, "where": [], "columns": ["name"]}]
    if selection.ls_outside is not None:  # where-clauses are AND-ed: ls is none of the names (or absent)
        where = [["external_ids", "excludes", ["map", [["ls", name]]]] for name in selection.ls_outside]
        return [DB_NAME, {"op": "select", "table": TABLE, "where": where, "columns": list(COLUMNS)}]
    if selection.held:
        return [DB_NAME] + [
            {
                "op": "select",
                "table": SWITCH_TABLE,
                "where": [["ports", "includes", ["uuid", uuid]]],
                "columns": list(SWITCH_COLUMNS),
            }
            for uuid in selection.held
        ]
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


def build_query_transaction(names: Iterable[str], pod_keys: Iterable[str]) -> list[Any]:
    """One `select` per name and per `<ns>/<name>` pod key: where-clauses within a select are AND-ed,
    so ORing needs separate selects; the parser deduplicates rows found twice."""
    ops: list[Any] = [DB_NAME]
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


def selection_argv(selection: Selection, timeout: float, endpoint: str = DEFAULT_NB_SOCKET) -> list[str]:
    """The exec argv for a selection; the timeout is capped so the allowlist's pattern always holds."""
    seconds = min(99999, max(1, math.ceil(timeout)))
    txn = json.dumps(selection_transaction(selection), separators=(",", ":"))
    argv = [PROGRAM, f"--timeout={seconds}", SUBCOMMAND, endpoint, txn]
    check_allowed_argv(argv)
    return argv


# A member's first answer (nb/exec.py): one select by the all-zero UUID, an index lookup that matches no row, so the
# answer is `[{"rows":[]}]` in about a millisecond however large NB is; a frozen member never gives it.
PROBE_TRANSACTION: list[Any] = [
    DB_NAME,
    {
        "op": "select",
        "table": TABLE,
        "where": [["_uuid", "==", ["uuid", "00000000-0000-0000-0000-000000000000"]]],
        "columns": ["_uuid"],
    },
]


def probe_argv(timeout: float, endpoint: str = DEFAULT_NB_SOCKET) -> list[str]:
    """The exec argv of the probe (`PROBE_TRANSACTION`); `timeout` in seconds, rounded up to whole seconds."""
    seconds = min(99999, max(1, math.ceil(timeout)))
    argv = [PROGRAM, f"--timeout={seconds}", SUBCOMMAND, endpoint, json.dumps(PROBE_TRANSACTION, separators=(",", ":"))]
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
        ops = json_text.loads(txn)
    except ValueError as exc:
        raise NbArgvRejected(f"query is not JSON: {exc}") from None
    if not isinstance(ops, list) or len(ops) < 2 or ops[0] != DB_NAME:
        raise NbArgvRejected(f"query must be a non-empty transaction on {DB_NAME}")
    for op in ops[1:]:
        if not isinstance(op, dict) or op.get("op") != "select" or op.get("table") not in TABLES:
            raise NbArgvRejected(f"only 'select' on {' or '.join(TABLES)} is allowed, got {str(op)[:80]}")
