"""explain's check for a stalled GC cycle reads filtered on a real ovsdb-server (commands/stall.py `_candidates`):
the switch names, the ports whose `external_ids:ls` names none of them, and the switches holding those. What GC's
delete does with each port must be what the every-port read (audit's, the reference) says, in every release shape.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from kubectl_ovn_lsp.commands.stall import _candidates
from kubectl_ovn_lsp.model.gc_delete import delete_result
from kubectl_ovn_lsp.model.records import Selection, SwitchView
from kubectl_ovn_lsp.nb.direct import DirectReader
from tests.unit import factories as f

RELEASES = ("v1.11.3", "v1.12.6", "v1.13.6", "v1.14.10", "v1.14.22", "v1.14.24", "v1.15.0")


class _Notes:
    """What `_candidates` uses of the command context: the notes it adds."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def add_notes(self, notes: tuple[str, ...] | list[str]) -> None:
        self.notes += list(notes)


def _nbctl(server, *args: str) -> str:
    return subprocess.run(
        ["ovn-nbctl", f"--db=unix:{server.unix_socket}", *args], check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def shaped(tmp_path_factory):
    from ovn_lsp_sandbox.nb_server import start_nb, stop_nb

    server = start_nb(tmp_path_factory.mktemp("nbstall"))
    try:
        _nbctl(server, "ls-add", "sw1", "--", "ls-add", "sw2")
        for switch, port, ls in [
            ("sw1", "p-absent", None),
            ("sw1", "p-empty", ""),
            ("sw1", "p-gone", "gone"),  # held by sw2 too (below): two holders
            ("sw2", "p-right", "sw2"),
            ("sw1", "p-wrong", "sw2"),
        ]:
            ids = ["vendor=kube-ovn", f"pod=ns/{port}"] + ([] if ls is None else [f'ls="{ls}"'])
            _nbctl(
                server,
                "lsp-add",
                switch,
                port,
                "--",
                "set",
                "Logical_Switch_Port",
                port,
                *[f"external_ids:{i}" for i in ids],
            )
        uuid = _nbctl(server, "get", "Logical_Switch_Port", "p-gone", "_uuid")
        txn = [
            "OVN_Northbound",
            {
                "op": "mutate",
                "table": "Logical_Switch",
                "where": [["name", "==", "sw2"]],
                "mutations": [["ports", "insert", ["set", [["uuid", uuid]]]]],
            },
        ]
        subprocess.run(
            ["ovsdb-client", "transact", f"unix:{server.unix_socket}", json.dumps(txn)], check=True, capture_output=True
        )
        yield server
    finally:
        stop_nb(server.to_dict())


def test_the_filtered_reads_judge_every_port_as_the_full_read(shaped) -> None:
    reader = DirectReader(shaped.members[0].remote, 5)
    try:
        context = _Notes()
        ports, view = _candidates(context, reader.read, lambda p: True)  # type: ignore[arg-type]
        full = reader.read(Selection(every_port=True))
    finally:
        reader.close()
    assert sorted(p.name for p in ports) == ["p-absent", "p-empty", "p-gone"]
    gone = next(p for p in ports if p.name == "p-gone")
    assert view.holders(gone.uuid) == ("sw1", "sw2") and view.exists("gone") is False
    reference = SwitchView.of(full)
    for release in RELEASES:
        behaviour = f.settings(release).behaviour
        for port in full.ports:
            expected = delete_result(port, reference, behaviour)
            if port in ports:
                assert delete_result(port, view, behaviour) == expected, (release, port.name)
            else:  # left out on the server: its `ls` names a switch that exists, so its delete cannot fail
                assert expected.outcome.value != "fails", (release, port.name)
