"""The exec path's query: the built argv, run for real with ovsdb-client against the unix socket, and parsed."""

from __future__ import annotations

import json
import subprocess

import pytest

from kubectl_ovn_lsp.model.records import NbPort, Selection
from kubectl_ovn_lsp.nb.errors import NbArgvRejected, NbQueryError
from kubectl_ovn_lsp.nb.query import DEFAULT_NB_SOCKET, check_allowed_argv, selection_argv
from kubectl_ovn_lsp.nb.reply import parse_lookup

VM_PORT = "vm-a.test-ns.subnet-a.test-ns.ovn"


def build_query_argv(names: list[str], keys: list[str], timeout: float) -> list[str]:
    """explain's exec argv for names and pod keys."""
    return selection_argv(Selection.of(names, keys), timeout)


def parse_query_output(text: str) -> tuple[NbPort, ...]:
    return parse_lookup(text)[0]


def _run(nb, argv: list[str]) -> str:
    """What the exec path runs in the ovn-central pod, with the socket path pointed at the local NB."""
    assert argv[3] == DEFAULT_NB_SOCKET
    local = argv[:3] + [f"unix:{nb.unix_socket}"] + argv[4:]
    proc = subprocess.run(local, capture_output=True, text=True, timeout=10)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_argv_shape() -> None:
    argv = build_query_argv([VM_PORT], ["test-ns/vm-a"], timeout=2.5)
    assert argv[:4] == ["ovsdb-client", "--timeout=3", "query", "unix:/var/run/ovn/ovnnb_db.sock"]
    ops = json.loads(argv[4])
    assert ops[0] == "OVN_Northbound" and {op["op"] for op in ops[1:]} == {"select"}
    check_allowed_argv(argv)  # raises NbArgvRejected if the plugin's own query were refused


SELECT = '["OVN_Northbound",{"op":"select","table":"Logical_Switch_Port"}]'
DELETE = '["OVN_Northbound",{"op":"delete","table":"Logical_Switch_Port","where":[]}]'


@pytest.mark.parametrize(
    "argv",
    [
        "ovsdb-client query unix:/x '[]'",  # a shell string
        ["ovn-nbctl", "--timeout=3", "query", "unix:/x", SELECT],
        ["ovsdb-client", "--timeout=3", "transact", "unix:/x", SELECT],
        ["ovsdb-client", "--timeout=3", "query", "unix:/x", DELETE],
        ["ovsdb-client", "--timeout=3", "query", "unix:/x", '["OVN_Northbound",{"op":"select","table":"ACL"}]'],
        ["ovsdb-client", "--timeout=3", "query", "unix:/x; rm -rf /", SELECT],
        ["ovsdb-client", "--timeout=3", "query", "unix:/x", '["OVN_Northbound"]'],
        ["ovsdb-client", "--db=x", "query", "unix:/x", SELECT],
        ["ovsdb-client", "--timeout=3", "query", "unix:/x", SELECT, "extra"],
    ],
)
def test_allowlist_rejects(argv) -> None:
    with pytest.raises(NbArgvRejected):
        check_allowed_argv(argv)


def test_name_and_pod_key_match(nb) -> None:
    ports = parse_query_output(_run(nb, build_query_argv([VM_PORT, "no-such-port"], [], timeout=5)))
    assert [p.name for p in ports] == [VM_PORT]
    port = ports[0]
    assert isinstance(port, NbPort) and port.logical_switch == "subnet-a" and port.pod_key == "test-ns/vm-a"
    assert port.addresses == ("00:00:00:0a:00:02 172.17.0.10",) and port.type == "" and port.options == {}
    assert len(port.uuid) == 36

    by_pod = parse_query_output(_run(nb, build_query_argv([], ["test-ns/vm-a"], timeout=5)))
    assert sorted(p.name for p in by_pod) == ["vm-a.test-ns", VM_PORT]
    default = next(p for p in by_pod if p.name == "vm-a.test-ns")
    assert default.options == {"requested-chassis": "kind-worker"} and default.logical_switch == "ovn-default"

    both = parse_query_output(_run(nb, build_query_argv([VM_PORT], ["test-ns/vm-a"], timeout=5)))
    assert len(both) == 2 and len({p.uuid for p in both}) == 2  # found twice, returned once


def test_missing_name_returns_nothing(nb) -> None:
    assert parse_query_output(_run(nb, build_query_argv(["vm-b.test-ns"], ["test-ns/vm-b"], timeout=5))) == ()


def test_query_is_read_only(nb, nb_dump) -> None:
    before = nb_dump(nb)
    for _ in range(3):
        parse_query_output(_run(nb, build_query_argv([VM_PORT], ["test-ns/vm-a", "app/web-5f7c"], timeout=5)))
    # Even a mutation smuggled past the allowlist cannot commit: `ovsdb-client query` appends an abort.
    evil = json.dumps(["OVN_Northbound", {"op": "delete", "table": "Logical_Switch_Port", "where": []}])
    subprocess.run(
        ["ovsdb-client", "--timeout=5", "query", f"unix:{nb.unix_socket}", evil],
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert nb_dump(nb) == before


def test_error_reply_raises(nb) -> None:
    bad = json.dumps(
        ["OVN_Northbound", {"op": "select", "table": "Logical_Switch_Port", "where": [["no_such_column", "==", "x"]]}]
    )
    out = subprocess.run(
        ["ovsdb-client", "--timeout=5", "query", f"unix:{nb.unix_socket}", bad],
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout
    with pytest.raises(NbQueryError, match="no_such_column"):
        parse_query_output(out)
    with pytest.raises(NbQueryError, match="not JSON"):
        parse_query_output("ovsdb-client: unix:/var/run/ovn/ovnnb_db.sock: database connection failed")


def test_wire_values_parse() -> None:
    """Single-element sets travel as bare atoms; multi-element sets and maps as tagged lists."""
    out = json.dumps(
        [
            {
                "rows": [
                    {
                        "_uuid": ["uuid", "11111111-1111-1111-1111-111111111111"],
                        "name": "a",
                        "type": "",
                        "addresses": ["set", ["m1 10.0.0.1", "m2 10.0.0.2"]],
                        "external_ids": ["map", [["pod", "ns/a"]]],
                        "options": ["map", []],
                    },
                    {
                        "_uuid": ["uuid", "22222222-2222-2222-2222-222222222222"],
                        "name": "b",
                        "type": "localnet",
                        "addresses": "unknown",
                        "external_ids": ["map", []],
                        "options": ["map", [["network_name", "x"]]],
                    },
                ]
            }
        ]
    )
    a, b = parse_query_output(out)
    assert a.addresses == ("m1 10.0.0.1", "m2 10.0.0.2") and a.pod_key == "ns/a"
    assert a.uuid == "11111111-1111-1111-1111-111111111111"
    assert b.addresses == ("unknown",) and b.options == {"network_name": "x"} and b.type == "localnet"


def test_the_switch_selects_read_which_switch_holds_each_port(nb) -> None:
    """explain asks for the owner's Subnets: their `ports` come back with the port rows in one query, and
    `port_security` is read (an empty set here, as Kube-OVN writes it without the port_security annotation)."""

    argv = selection_argv(Selection.of([VM_PORT], [], ["subnet-a", "no-such-switch"]), timeout=5)
    check_allowed_argv(argv)
    ports, switches = parse_lookup(_run(nb, argv))
    (port,) = ports
    assert set(switches) == {"subnet-a"} and port.uuid in switches["subnet-a"]
    assert port.port_security == ()


def test_a_reply_is_read_row_by_row_as_json_reads_it(nb) -> None:
    """The exec path's full read (every switch and port of the sandbox NB) parsed one row at a time gives what
    decoding the whole reply gives; other shapes (spaces, a result with more than rows, an error result) and
    text that is not JSON take the whole-reply path with its messages."""
    from kubectl_ovn_lsp.nb.reply import lookup_of_results, streamed_results

    text = _run(nb, selection_argv(Selection(every_port=True), timeout=5))
    assert text.startswith('[{"rows":[')
    whole = lookup_of_results(json.loads(text))
    assert parse_lookup(text) == whole and len(whole[0]) > 3 and whole[1]
    spaced = json.dumps(json.loads(text), indent=1)
    assert parse_lookup(spaced) == whole
    odd = '[{"rows":[{"name":"a","type":""}],"extra":1}, {"rows":[]}]'
    assert [p.name for p in parse_lookup(odd)[0]] == ["a"]
    assert [list(r["rows"]) for r in streamed_results('[{"rows":[]},{"rows":[{"n":1}, {"n":2}]}]')] == [
        [],
        [{"n": 1}, {"n": 2}],
    ]
    with pytest.raises(NbQueryError, match="not JSON"):
        parse_lookup(text[: len(text) // 2])
    with pytest.raises(NbQueryError, match="no_such"):
        parse_lookup('[{"rows":[]},{"error":"syntax error","details":"no_such column"}]')


def test_a_full_read_keeps_repeated_strings_once(nb) -> None:
    """Ports of one switch share their `ls` and `vendor` values, and a port's uuid is the string its switch's
    `ports` holds (memory of a 500,000-port read); the values are those of the reply."""
    from kubectl_ovn_lsp.nb.reply import lookup_of_results

    text = _run(nb, selection_argv(Selection(every_port=True), timeout=5))
    ports, switches = parse_lookup(text)
    assert (ports, switches) == lookup_of_results(json.loads(text))
    by_switch: dict[str, set[int]] = {}
    for port in ports:
        if port.logical_switch:
            by_switch.setdefault(port.logical_switch, set()).add(id(port.external_ids["ls"]))
    assert by_switch and all(len(ids) == 1 for ids in by_switch.values())
    held = {id(u): u for members in switches.values() for u in members}
    assert any(id(p.uuid) in held for p in ports) and all(
        id(p.uuid) in held for p in ports if p.uuid in set(held.values())
    )
