"""Bulk load in one JSON-RPC transact: content visible to ovn-nbctl, ports referenced, errors explicit."""

from __future__ import annotations

import json

import pytest

from ovn_lsp_sandbox.nb_content import PortSpec, SwitchSpec
from ovn_lsp_sandbox.nb_load import NbLoadError, load_switches

VM_PORT = "vm-a.test-ns.subnet-a.test-ns.ovn"
POD_PORT = "web-5f7c.app"


def _table(nbctl, server, table: str, columns: str) -> list[dict]:
    out = json.loads(nbctl(server, "--format=json", f"--columns={columns}", "list", table))
    return [dict(zip(out["headings"], row)) for row in out["data"]]


def test_loaded_content_visible_to_nbctl(nb_factory, nbctl) -> None:
    server = nb_factory()
    assert {r["name"] for r in _table(nbctl, server, "Logical_Switch", "name")} == {"subnet-a", "ovn-default", "join"}
    ports = {r["name"]: r for r in _table(nbctl, server, "Logical_Switch_Port", "name,addresses,external_ids,options")}
    assert set(ports) == {VM_PORT, "vm-a.test-ns", POD_PORT, "node-kind-worker"}
    assert ports[VM_PORT]["addresses"] == "00:00:00:0a:00:02 172.17.0.10"
    assert ports[VM_PORT]["external_ids"] == [
        "map",
        [["ls", "subnet-a"], ["pod", "test-ns/vm-a"], ["vendor", "kube-ovn"]],
    ]
    assert ports["vm-a.test-ns"]["options"] == ["map", [["requested-chassis", "kind-worker"]]]
    # Each port is referenced by its switch (an unreferenced one would have been garbage-collected).
    assert nbctl(server, "lsp-get-ls", VM_PORT).strip().endswith("(subnet-a)")
    assert nbctl(server, "lsp-get-ls", POD_PORT).strip().endswith("(ovn-default)")
    assert sorted(nbctl(server, "lsp-list", "ovn-default").split()[1::2]) == ["(vm-a.test-ns)", f"({POD_PORT})"]


def test_bulk_load_one_transaction(nb_factory, nbctl) -> None:
    server = nb_factory(load=False)
    switches = [
        SwitchSpec(
            name=f"subnet-{s}",
            external_ids={"vendor": "kube-ovn"},
            ports=[
                PortSpec(
                    name=f"pod-{s}-{i}.ns-{i % 7}",
                    addresses=[f"00:00:00:{s:02x}:{i // 256:02x}:{i % 256:02x} 10.{s}.{i // 256}.{i % 256}"],
                    external_ids={"vendor": "kube-ovn", "ls": f"subnet-{s}", "pod": f"ns-{i % 7}/pod-{s}-{i}"},
                )
                for i in range(2500)
            ],
        )
        for s in range(2)
    ]
    result = load_switches(server.unix_socket, switches)
    assert (result.switches, result.ports) == (2, 5000)
    count = nbctl(server, "--bare", "--columns=_uuid", "list", "Logical_Switch_Port").split()
    assert len(count) == 5000
    assert nbctl(server, "lsp-get-ls", f"pod-1-2499.ns-{2499 % 7}").strip().endswith("(subnet-1)")


def test_load_error_names_the_failure(nb_factory, nbctl) -> None:
    server = nb_factory()
    with pytest.raises(NbLoadError, match=r"constraint violation.*vm-a\.test-ns"):
        load_switches(server.unix_socket, [SwitchSpec(name="dup", ports=[PortSpec(name=VM_PORT)])])
    # The failed transaction left nothing behind.
    assert "dup" not in nbctl(server, "ls-list")


def test_load_unreachable_socket(tmp_path) -> None:
    with pytest.raises(NbLoadError, match="ovnnb_db.sock"):
        load_switches(tmp_path / "ovnnb_db.sock", [SwitchSpec(name="x")], timeout=2)


def test_load_over_a_long_socket_path(tmp_path_factory, nbctl) -> None:
    """Sandbox dirs can be deep: AF_UNIX paths over ~107 bytes still work (ovsdb-server copes, so must we)."""
    from ovn_lsp_sandbox.nb_server import start_nb, stop_nb

    server = start_nb(tmp_path_factory.mktemp("deep-" + "d" * 90))
    try:
        assert len(server.unix_socket) > 108
        load_switches(server.unix_socket, [SwitchSpec(name="subnet-a", ports=[PortSpec(name=VM_PORT)])])
        assert nbctl(server, "lsp-get-ls", VM_PORT).strip().endswith("(subnet-a)")
    finally:
        stop_nb(server.to_dict())
