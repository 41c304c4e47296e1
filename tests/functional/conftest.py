"""Fixtures for the NB functional tests: a real `ovsdb-server` (standalone, mutual TLS, raft) loaded with a few
Kube-OVN-style switches and ports. No mocks: every test talks the real OVSDB protocol.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator

import pytest

from ovn_lsp_sandbox.nb_content import PortSpec, SwitchSpec
from ovn_lsp_sandbox.nb_load import load_switches
from ovn_lsp_sandbox.nb_server import NbServer, start_nb, stop_nb

VM_PORT = "vm-a.test-ns.subnet-a.test-ns.ovn"  # VM vm-a on the Multus-attached subnet-a
VM_DEFAULT_PORT = "vm-a.test-ns"  # the same VM on the default network
POD_PORT = "web-5f7c.app"


def kube_ovn_switches() -> list[SwitchSpec]:
    """What Kube-OVN writes for a VM with a default and a Multus interface, a plain pod, and a node."""
    kov = {"vendor": "kube-ovn"}
    return [
        SwitchSpec(
            name="subnet-a",
            external_ids={**kov},
            ports=[
                PortSpec(
                    name=VM_PORT,
                    addresses=["00:00:00:0a:00:02 172.17.0.10"],
                    external_ids={**kov, "ls": "subnet-a", "pod": "test-ns/vm-a"},
                ),
            ],
        ),
        SwitchSpec(
            name="ovn-default",
            external_ids={**kov},
            ports=[
                PortSpec(
                    name=VM_DEFAULT_PORT,
                    addresses=["00:00:00:aa:bb:cc 10.16.0.9"],
                    external_ids={**kov, "ls": "ovn-default", "pod": "test-ns/vm-a"},
                    options={"requested-chassis": "kind-worker"},
                ),
                PortSpec(
                    name=POD_PORT,
                    addresses=["00:00:00:11:22:33 10.16.0.5"],
                    port_security=["00:00:00:11:22:33"],
                    external_ids={
                        **kov,
                        "ls": "ovn-default",
                        "pod": "app/web-5f7c",
                        "security_groups": "sg1/sg2",
                        "associated_sg_sg1": "true",
                    },
                ),
            ],
        ),
        SwitchSpec(
            name="join",
            external_ids={**kov},
            ports=[
                PortSpec(
                    name="node-kind-worker",
                    addresses=["00:00:00:01:01:01 100.64.0.2"],
                    external_ids={**kov, "ls": "join"},
                ),
            ],
        ),
    ]


def run_nbctl(server: NbServer, *args: str) -> str:
    """`ovn-nbctl` on the server's unix socket; raises on failure so tests fail loudly."""
    proc = subprocess.run(
        ["ovn-nbctl", "--timeout=10", f"--db=unix:{server.unix_socket}", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def run_dump(server: NbServer) -> bytes:
    """`ovsdb-client dump` of the whole NB, for byte-for-byte read-only proofs."""
    return subprocess.run(
        ["ovsdb-client", "--timeout=10", "dump", f"unix:{server.unix_socket}", "OVN_Northbound"],
        capture_output=True,
        check=True,
    ).stdout


@pytest.fixture(scope="session")
def nbctl() -> Callable[..., str]:
    """`nbctl(server, "lsp-get-ls", name)`: the conftest cannot be imported by name (tests/conftest.py exists)."""
    return run_nbctl


@pytest.fixture(scope="session")
def nb_dump() -> Callable[[NbServer], bytes]:
    return run_dump


@pytest.fixture(scope="session")
def sample_switches() -> Callable[[], list[SwitchSpec]]:
    return kube_ovn_switches


@pytest.fixture
def nb_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., NbServer]]:
    """`nb_factory(cluster_size=3, ssl=True, load=True)`: a fresh NB, stopped after the test."""
    started: list[NbServer] = []

    def make(cluster_size: int = 1, ssl: bool = False, load: bool = True, db_file: str | None = None) -> NbServer:
        server = start_nb(tmp_path_factory.mktemp("nb"), cluster_size=cluster_size, ssl=ssl, db_file=db_file)
        started.append(server)
        if load:
            load_switches(server.unix_socket, kube_ovn_switches())
        return server

    yield make
    for server in started:
        stop_nb(server.to_dict())


@pytest.fixture(scope="module")
def nb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NbServer]:
    """A standalone NB (unix socket + tcp) with the Kube-OVN-style content, shared by a module's read tests."""
    server = start_nb(tmp_path_factory.mktemp("nb"))
    try:
        load_switches(server.unix_socket, kube_ovn_switches())
        yield server
    finally:
        stop_nb(server.to_dict())


@pytest.fixture(scope="module")
def nb_ssl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NbServer]:
    """A standalone NB that only accepts mutual TLS on its TCP remote."""
    server = start_nb(tmp_path_factory.mktemp("nbssl"), ssl=True)
    try:
        load_switches(server.unix_socket, kube_ovn_switches())
        yield server
    finally:
        stop_nb(server.to_dict())
