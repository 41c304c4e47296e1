"""The NB reply as both backends receive it, parsed into the model's records: OVSDB wire values decoded, each row
checked against the NB schema's column types (a wrong-typed row is one NbQueryError, never an internal error), the
strings a cluster-wide read repeats shared, and a large reply read one row at a time (`streamed_results`) instead of
as one decoded tree. The request side (table, columns, the transaction of a `Selection`, the exec argv) is
`nb/query.py`; this module reads what it asked for. No I/O here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from kubectl_ovn_lsp.model import json_text
from kubectl_ovn_lsp.model.records import NbPort
from kubectl_ovn_lsp.nb.errors import NbQueryError
from kubectl_ovn_lsp.nb.query import TABLE


def decode_datum(value: Any) -> Any:
    """OVSDB wire value → Python: `["set",[…]]` → list, `["map",[[k,v]…]]` → dict, `["uuid",u]` → u."""
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str):
        kind, body = value
        if kind == "map" and type(body) is list:
            strings = _string_map(body)
            if strings is not None:
                return strings
        elif kind == "set" and type(body) is list:
            if {*map(type, body)} <= _STR:
                return list(body)  # a set of strings (addresses, port_security): no atom to decode
            return [v[1] if type(v) is list and len(v) == 2 and v[0] == "uuid" else decode_datum(v) for v in body]
        if kind == "set":
            return [decode_datum(v) for v in body]
        if kind == "map":
            return {decode_datum(k): decode_datum(v) for k, v in body}
        if kind in ("uuid", "named-uuid"):
            return body
    return value


_STR = {str}


def _string_map(body: list[Any]) -> dict[str, str] | None:
    """A map's `[[k, v], …]` as a dict when every key and value is a string (external_ids, options), else None."""
    try:
        out = dict(body)
    except (TypeError, ValueError):
        return None
    if len(out) == len(body) and {*map(type, out), *map(type, out.values())} <= _STR:
        return out
    return None


def _as_list(value: Any) -> list[Any]:
    decoded = decode_datum(value)
    return decoded if isinstance(decoded, list) else [decoded]  # a 1-element set travels as the bare atom


def row_to_port(row: dict[str, Any], shared: _Shared | None = None) -> NbPort:
    """One selected row (wire format) → NbPort, NbQueryError when a value does not have the OVN NB schema's type.
    The columns' usual shapes (a map of strings, a set of strings or one bare string, a uuid) are read directly;
    anything else goes through `decode_datum`. With `shared` (a full read), repeated strings are kept once: map
    values (`vendor`, `ls`), the type, and the uuid a switch holds."""
    if type(row) is not dict:
        raise NbQueryError(f"NB reply: a {TABLE} row is not an object: {str(row)[:80]}")
    get = row.get
    try:
        port = _port_of(get, shared)
    except (TypeError, ValueError):  # a map or set whose body is not pairs or a list
        raise NbQueryError(f"NB reply: a {TABLE} row is not in the OVSDB wire format: {str(row)[:120]}") from None
    if _well_typed(port):
        return port
    return checked_port(port)


def _port_of(get: Any, shared: _Shared | None) -> NbPort:
    uuid = get("_uuid", "")
    uuid = uuid[1] if type(uuid) is list and len(uuid) == 2 and uuid[0] == "uuid" else decode_datum(uuid)
    external_ids, options, kind = (
        _strings_map(get("external_ids", _NO_MAP)),
        _strings_map(get("options", _NO_MAP)),
        get("type", ""),
    )
    if shared is not None:
        strings = shared.strings
        external_ids, options = shared.string_map(external_ids), shared.string_map(options)
        kind = strings.setdefault(kind, kind) if type(kind) is str else kind
        uuid = shared.uuids.get(uuid, uuid) if type(uuid) is str else uuid
    return NbPort(
        name=get("name", ""),
        type=kind,
        external_ids=external_ids,
        addresses=_strings_set(get("addresses", _NO_SET)),
        options=options,
        uuid=uuid,
        port_security=_strings_set(get("port_security", _NO_SET)),
    )


class _Shared:
    """What one full read keeps once: the keys and values of the string maps, types, and each uuid a switch's
    `ports` holds (the port row then reuses that string: at 500,000 ports, 40 MB of equal uuids).

    Why the maps' keys too: a map travels as `["map", [[key, value], …]]`, so the JSON decoder gives every row its
    own `pod`, `ls`, `vendor` strings (it shares only object keys), and `pod` is the same for each port of one pod:
    ~12 MB at 50,000 ports, alive through the replay. Every port with no options shares one empty map."""

    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        self.uuids: dict[str, str] = {}

    def string_map(self, value: Any) -> Any:
        """`value` with each key and value the copy seen before (a new dict, same order), or `value` as it is
        when it is not a map of strings (`checked_port` then names the field)."""
        if type(value) is not dict:
            return value
        if not value:
            return _EMPTY_MAP
        if not {*map(type, value), *map(type, value.values())} <= _STR:
            return value
        memo = self.strings.setdefault
        return {memo(k, k): memo(v, v) for k, v in value.items()}

    def switch_ports(self, uuids: list[Any]) -> frozenset[str]:
        memo = self.uuids
        return frozenset(memo.setdefault(u, u) if type(u) is str else u for u in uuids)


def _well_typed(port: NbPort) -> bool:
    """The fast test of `checked_port` (a few C-level type sets per row: it runs for every port of a full read)."""
    ids, options = port.external_ids, port.options
    return (
        type(port.name) is str
        and type(port.type) is str
        and type(port.uuid) is str
        and type(ids) is dict
        and type(options) is dict
        and {*map(type, ids), *map(type, ids.values()), *map(type, options), *map(type, options.values())} <= _STR
        and {*map(type, port.addresses), *map(type, port.port_security)} <= _STR
    )


def checked_port(port: NbPort) -> NbPort:
    """`port` when every field has the OVN NB schema's type (name, type, uuid: strings; external_ids, options:
    string maps; addresses: strings), else NbQueryError naming the field: a server with another schema (a
    non-OVN database named OVN_Northbound, a fork) must not reach the model as a crash."""
    problems = [
        what
        for what, ok in (
            ("name", isinstance(port.name, str)),
            ("type", isinstance(port.type, str)),
            ("_uuid", isinstance(port.uuid, str)),
            ("external_ids", _is_string_map(port.external_ids)),
            ("options", _is_string_map(port.options)),
            ("addresses", all(isinstance(a, str) for a in port.addresses)),
            ("port_security", all(isinstance(a, str) for a in port.port_security)),
        )
        if not ok
    ]
    if problems:
        raise NbQueryError(
            f"NB reply: {TABLE} {str(port.name)[:80]!r} has {', '.join(problems)} of a type the OVN NB schema "
            "does not give them (is this an OVN Northbound database?)"
        )
    return port


def _is_string_map(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


_NO_MAP: list[Any] = ["map", []]
_EMPTY_MAP: dict[str, str] = {}  # shared by the ports of a full read that have no options (never changed)
_NO_SET: list[Any] = ["set", []]


def _strings_map(value: Any) -> Any:
    if type(value) is list and len(value) == 2 and value[0] == "map" and not value[1]:
        return {}
    return decode_datum(value)


def _strings_set(value: Any) -> tuple[Any, ...]:
    if type(value) is str:
        return (value,)  # a one-element set travels as the bare atom
    if type(value) is list and len(value) == 2 and value[0] == "set" and type(value[1]) is list:
        body = value[1]
        if {*map(type, body)} <= _STR:
            return tuple(body)
    return tuple(_as_list(value))


def _is_switch_row(row: dict[str, Any]) -> bool:
    """A Logical_Switch row of our selects (`name`, `ports`, or `name` alone); a port row always carries `type`."""
    return "type" not in row and ("ports" in row or row.keys() == {"name"})


def parse_lookup(text: str) -> tuple[tuple[NbPort, ...], dict[str, frozenset[str]]]:
    """ovsdb-client's JSON reply → (ports, switch name → the UUIDs of the ports it holds); NbQueryError as above.

    The reply is read one row at a time (`streamed_results`) so that only the text and the ports are held, never
    the whole decoded tree of it (~70 MB for 50,000 ports, ~10× that for 500,000); anything else than ovsdb-client's
    compact `[{"rows":[…]},…]` is decoded whole, as before."""
    try:
        return lookup_of_results(streamed_results(text))
    except (ValueError, IndexError, RecursionError):
        pass  # not the compact shape, or not JSON: decoded whole below, which names what is wrong
    try:
        results = json_text.loads(text)
    except ValueError:
        raise NbQueryError(f"NB query output is not JSON: {text.strip()[:200]!r}") from None
    if isinstance(results, dict) and "error" in results:
        results = [results]
    if not isinstance(results, list):
        raise NbQueryError(f"NB query output is not a list of results: {text.strip()[:200]!r}")
    return lookup_of_results(results)


_WS = re.compile(r"[ \t\n\r]*")
_ROWS = '{"rows":['


def streamed_results(text: str, start: int = 0) -> Iterator[dict[str, Any]]:
    """The result objects of the JSON array at `text[start:]`, as `json.loads` would give them, except that a result
    written as `{"rows":[…]}` (ovsdb-client's and ovsdb-server's compact form) holds its rows as an iterator that
    decodes one row at a time. Each result's rows are read before the next result is. Raises ValueError (or
    IndexError at the end of the text) where the text is not such an array."""
    decoder = json.JSONDecoder()
    pos = _WS.match(text, start).end()  # type: ignore[union-attr]
    if text[pos] != "[":
        raise ValueError("not a JSON array")
    pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
    if text[pos] == "]":
        return
    while True:
        if text.startswith(_ROWS, pos):
            cursor = [pos + len(_ROWS)]
            rows = _rows(text, cursor, decoder)
            yield {"rows": rows}
            for _ in rows:  # what the caller did not read
                pass
            pos = _WS.match(text, cursor[0]).end()  # type: ignore[union-attr]
            if text[pos] != "}":
                raise ValueError("a result with more than rows")
            pos += 1
        else:
            result, pos = decoder.raw_decode(text, pos)
            yield result
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if text[pos] == "]":
            return
        if text[pos] != ",":
            raise ValueError("expected , or ]")
        pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]


def _rows(text: str, cursor: list[int], decoder: json.JSONDecoder) -> Iterator[Any]:
    """The rows of one `{"rows":[` result, from `cursor[0]`; leaves `cursor[0]` after the closing `]`."""
    pos = _WS.match(text, cursor[0]).end()  # type: ignore[union-attr]
    if text[pos] == "]":
        cursor[0] = pos + 1
        return
    while True:
        row, pos = decoder.raw_decode(text, pos)
        cursor[0] = pos
        yield row
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if text[pos] == "]":
            cursor[0] = pos + 1
            return
        if text[pos] != ",":
            raise ValueError("expected , or ]")
        pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]


def lookup_of_results(results: Iterable[Any]) -> tuple[tuple[NbPort, ...], dict[str, frozenset[str]]]:
    """Ports (deduplicated by uuid, in order) and switches (name → port UUIDs) from a transaction's results."""
    ports: dict[str, NbPort] = {}
    switches: dict[str, frozenset[str]] = {}
    shared = _Shared()
    for res in results:
        if res is None:
            continue  # operations after a failed one are not executed
        if not isinstance(res, dict):
            raise NbQueryError(f"unexpected NB query result: {str(res)[:200]}")
        if res.get("error"):
            if res["error"] == "aborted":
                continue  # the abort that `query` appends, should it ever be echoed
            raise NbQueryError(f"NB query failed: {res['error']}: {res.get('details', '')}".rstrip(": "))
        rows = res.get("rows", [])
        if not isinstance(rows, (list, Iterator)):  # a list, or the streamed rows of `streamed_results`
            raise NbQueryError(f"NB reply: rows is not a list: {str(rows)[:120]}")
        for row in rows:
            if isinstance(row, dict) and _is_switch_row(row):
                switches[str(row.get("name", ""))] = shared.switch_ports(_as_list(row.get("ports", ["set", []])))
                continue
            port = row_to_port(row, shared)
            ports.setdefault(port.uuid or port.name, port)
    return tuple(ports.values()), switches
