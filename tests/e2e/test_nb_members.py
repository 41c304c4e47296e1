"""Which NB raft member answers (issue #15), through the real `kubectl ovn-lsp` on a three-member NB:
- a full read (audit, triage) prefers a Ready ovn-central member that is not the labelled leader, and says so;
  explain's small read keeps the leader;
- every direct reader has one member-failure policy: a stalled raft leader (SIGSTOP: it accepts connections and
  never answers) does not keep explain `--nb tcp:` any more than it keeps audit.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sandboxes import Sandbox, run_plugin

LEADER_NOTE = "a raft member other than the leader: a read needs no leader"


@pytest.fixture(scope="module")
def raft(sandbox_factory) -> Sandbox:
    return sandbox_factory("tc4", nb_cluster=3)


def _leader_pod(sandbox: Sandbox) -> str:
    out = sandbox.kubectl("get", "pods", "-n", "kube-system", "-l", "app=ovn-central,ovn-nb-leader=true", "-o", "name")
    (name,) = out.stdout.split()
    return "kube-system/" + name.split("/", 1)[1]


@pytest.mark.parametrize("command", [["audit", "-A"], ["triage"]])
def test_a_full_read_spares_the_leader_and_says_so(raft: Sandbox, command: list[str]) -> None:
    proc = run_plugin(raft, *command, "-o", "json")
    assert proc.returncode == 4, proc.stderr
    document = json.loads(proc.stdout)
    assert document["nb"]["via"] == "exec" and document["nb"]["leaderOnly"] is False
    assert document["nb"]["endpoint"] != _leader_pod(raft)
    assert document["nb"]["endpoint"].startswith("kube-system/ovn-central-")
    assert any(LEADER_NOTE in note for note in document["notes"]), document["notes"]


def test_explain_keeps_the_leader(raft: Sandbox) -> None:
    proc = run_plugin(raft, "explain", "vm-a", "-n", "test-ns", "-o", "json")
    document = json.loads(proc.stdout)
    assert document["nb"] == {"via": "exec", "endpoint": _leader_pod(raft), "leaderOnly": True}
    assert not any(LEADER_NOTE in note for note in document["notes"])


def test_a_stalled_leader_keeps_no_direct_reader(tmp_path: Path) -> None:
    """Six explains and an audit over `--nb tcp:` with the leader stopped: each answers from another member within
    the budget (before: explain stayed on the stalled leader in 5 of 6 runs, python-ovs shuffling the members)."""
    from ovn_lsp_sandbox import runtime
    from ovn_lsp_sandbox.scenario_load import load_scenario

    state = runtime.start(load_scenario("tc4"), tmp_path / "sb", nb_cluster=3)
    sandbox = Sandbox("tc4", tmp_path / "sb", state)
    try:
        nb = state["nb"]
        leader = nb["members"][nb["leader"]]
        pid = int(Path(leader["pidfile"]).read_text().strip())
        os.kill(pid, signal.SIGSTOP)
        try:
            for command in [["explain", "vm-a", "-n", "test-ns"]] * 6 + [["audit", "-A"]]:
                started = time.monotonic()
                proc = run_plugin(
                    sandbox, *command, "--nb", sandbox.nb_remotes, "-o", "json", "--request-timeout", "6s", timeout=60
                )
                wall = time.monotonic() - started
                assert proc.returncode == 4, (command, proc.stderr)
                assert json.loads(proc.stdout)["nb"]["endpoint"] != leader["remote"]
                assert wall <= 6 + 2, wall
        finally:
            os.kill(pid, signal.SIGCONT)
    finally:
        runtime.stop(tmp_path / "sb")


def test_a_full_direct_read_asks_the_members_and_spares_the_leader(raft: Sandbox) -> None:
    """`--nb tcp:` with every member: each says in its `_Server` database whether it leads; a follower answers."""
    from ovn_lsp_sandbox.nb_server import leader_index

    leader = raft.state["nb"]["members"][leader_index(raft.state["nb"])]["remote"]
    proc = run_plugin(raft, "audit", "-A", "--nb", raft.nb_remotes, "-o", "json")
    assert proc.returncode == 4, proc.stderr
    document = json.loads(proc.stdout)
    assert document["nb"]["via"] == "direct" and document["nb"]["endpoint"] != leader
    assert any("a raft follower: a read needs no leader" in note for note in document["notes"]), document["notes"]
    proc = run_plugin(raft, "audit", "-A", "--nb", leader, "-o", "json")  # one member given: that member
    assert json.loads(proc.stdout)["nb"]["endpoint"] == leader


# A member that does not answer (F-wedged-follower-hang, F-nb-stalled-member-hang): a frozen ovsdb-server (SIGSTOP)
# accepts on its socket and never replies. Each member's first answer is bounded by --nb-member-timeout (1s here,
# 5s by default) even without --request-timeout (audit's default: no limit), so the member is skipped with a note.
PROBE_BOUND = 1.0


@contextlib.contextmanager
def _frozen(sandbox: Sandbox, *indexes: int) -> Iterator[list[str]]:
    """SIGSTOP the NB members `indexes` (their ovn-central pods' names yielded); SIGCONT whatever happens."""
    members = sandbox.state["nb"]["members"]
    pids = [int(Path(members[i]["pidfile"]).read_text().strip()) for i in indexes]
    stopped = []
    try:
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
            stopped.append(pid)
        yield [_pod_of_member(sandbox, i) for i in indexes]
    finally:
        for pid in stopped:
            os.kill(pid, signal.SIGCONT)


def _pod_of_member(sandbox: Sandbox, index: int) -> str:
    from ovn_lsp_sandbox.runtime import RAFT_POD_SUFFIXES

    out = sandbox.kubectl("get", "pods", "-n", "kube-system", "-l", "app=ovn-central", "-o", "name")
    names = sorted(line.split("/", 1)[1] for line in out.stdout.split())
    if len(names) == 1:
        return names[0]
    (name,) = [n for n in names if n.endswith("-" + RAFT_POD_SUFFIXES[index])]
    return name


def _timed(sandbox: Sandbox, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    proc = run_plugin(sandbox, *args, timeout=60)
    return proc, time.monotonic() - started


def test_a_frozen_follower_keeps_no_exec_read(raft: Sandbox) -> None:
    """audit (no time limit) skips the frozen follower it would read first and reads the other one; explain stays on
    the leader for all of its reads (its own and those that look for a stalled GC cycle), so its header names the
    member it read. Before: audit hung forever, explain failed after 10s, its every-port read on the follower."""
    leader_pod = _leader_pod(raft).split("/", 1)[1]
    followers = sorted(
        i for i in range(3) if _pod_of_member(raft, i) != leader_pod
    )  # a full read tries Ready non-leaders by name
    with _frozen(raft, followers[0]) as (frozen,):
        proc, wall = _timed(raft, "audit", "-A", "-o", "json", "--nb-member-timeout", "1s")
        assert proc.returncode == 4, proc.stderr
        document = json.loads(proc.stdout)
        assert document["nb"]["endpoint"] == "kube-system/" + _pod_of_member(raft, followers[1])
        assert any(
            frozen in n and "no answer to a probe within 1s (--nb-member-timeout)" in n for n in document["notes"]
        )
        assert wall < PROBE_BOUND + 9, wall
        proc, wall = _timed(raft, "explain", "vm-a", "-n", "test-ns", "-o", "json", "-v")
        assert proc.returncode == 4, proc.stderr
        reads = [line for line in proc.stderr.splitlines() if "EXEC kube-system/" in line]
        # the probe, explain's read, then its stalled-GC check: every switch's name, the ports whose ls names none
        assert len(reads) == 4 and '"table":"Logical_Switch","where":[],"columns":["name"]' in reads[2], reads
        assert '"table":"Logical_Switch_Port","where":[["external_ids","excludes"' in reads[3], reads
        assert all(f"EXEC kube-system/{leader_pod} " in line for line in reads), reads
        document = json.loads(proc.stdout)
        assert document["nb"] == {"via": "exec", "endpoint": "kube-system/" + leader_pod, "leaderOnly": True}
        assert not any(frozen in n for n in document["notes"]), document["notes"]
        assert wall < 6, wall


def test_every_member_frozen_is_one_error_within_the_bound(tc4: Sandbox) -> None:
    """The single NB member frozen: audit (no time limit) ends with one error line naming the pod, exit 1."""
    with _frozen(tc4, 0) as (frozen,):
        proc, wall = _timed(tc4, "audit", "-A", "--nb-member-timeout", "1s")
    assert proc.returncode == 1 and proc.stdout == "", proc
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: "), proc.stderr
    assert frozen in proc.stderr and "no answer to a probe within 1s (--nb-member-timeout)" in proc.stderr
    assert wall < PROBE_BOUND + 9, wall


def test_a_stalled_direct_member_is_skipped_or_named(raft: Sandbox) -> None:
    """`--nb tcp:STALLED,tcp:GOOD` (STALLED accepts connections and never answers: a listening socket nobody
    reads), no time limit: audit reads GOOD and says STALLED was skipped; STALLED alone is one error line."""
    stalled_socket = socket.socket()
    stalled_socket.bind(("127.0.0.1", 0))
    stalled_socket.listen(16)
    stalled = f"tcp:127.0.0.1:{stalled_socket.getsockname()[1]}"
    good = raft.state["nb"]["members"][1]["remote"]
    try:
        proc, wall = _timed(raft, "audit", "-A", "-o", "json", "--nb", f"{stalled},{good}", "--nb-member-timeout", "1s")
        assert proc.returncode == 4, proc.stderr
        document = json.loads(proc.stdout)
        assert document["nb"]["endpoint"] == good
        assert f"NB {stalled} not read (no answer to its raft role probe within 1s (--nb-member-timeout))" in " ".join(
            document["notes"]
        )
        assert wall < PROBE_BOUND + 9, wall
        proc, wall = _timed(raft, "audit", "-A", "--nb", stalled, "--nb-member-timeout", "1s")
        assert proc.returncode == 1 and proc.stdout == "", proc
        assert proc.stderr == (
            f"error: OVN NB {stalled}: no answer to its raft role probe within 1s (--nb-member-timeout)\n"
        )
        assert wall < PROBE_BOUND + 9, wall
    finally:
        stalled_socket.close()
