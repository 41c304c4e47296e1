"""The direct NB backend (`--nb tcp:…|ssl:…`, raft member lists): every read, explain's narrow selection (names,
`external_ids:pod` keys, switches) as audit's and triage's every port, is one `select … abort` transaction
(`nb/transact.py`) to the first member that answers, in the user's order (a full read reads a connected raft
follower before the leader; a narrow one keeps the order, so explain keeps the leader when it is listed first, and
a command's later reads go to the member of its first), over the member list and TLS material of `nb/remotes.py`.

Why not python-ovs's IDL for explain (ovsdbapp's `OvsdbIdl` with conditional monitoring, as until issue #15's last
speed item): explain reads the Logical_Switches its owner is allocated on, and a switch's `ports` column holds
every port of the subnet (~12,000 UUIDs on `ovn-default` at 10,000 pods / 50,000 ports). A monitor sends that
column whole, python-ovs parses it with its pure-Python JSON parser (its C parser is built only against
libopenvswitch, which neither PyPI nor the krew archive provides) and turns every UUID into a Datum: ~0.8 s of
CPU, by cProfile 2/3 JSON lexing and 1/3 `ovs.db.data` (which alone would keep the IDL over the target with any
parser). Measured on this read at 10,000 pods / 50,000 ports, the NB read alone in a fresh process: the IDL
(probe, `get_schema`, then the monitor) 1,050–1,190 ms wall / 815–870 ms CPU; python-ovs's `Idl` without
ovsdbapp 980–1,055 / 735–815; the IDL for the ports and a select for the switches 325–345 / 95 (and two
snapshots, so a port created between them could look unheld by its switch); one select 205–215 / 57–60. End to
end (benchmarks/bench_explain.py, one loaded run each): explain `--nb tcp:` 2,648 ms against a 607 ms floor
(4.36x) before, 685 ms against 341 ms (2.01x) after.
The select also reads one snapshot in one round trip (after the member's raft role, which `read_select` asks every
member within `--nb-member-timeout`), and needs no probe of its own: its failure (a refused, silent or stalled
member, a TLS alert) moves it to the next member under the same policy.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager

from kubectl_ovn_lsp.deadline import Deadline
from kubectl_ovn_lsp.errors import one_line
from kubectl_ovn_lsp.model.records import NbLookup, Selection
from kubectl_ovn_lsp.nb import transact
from kubectl_ovn_lsp.nb.errors import NbDirectError, NbUnavailable
from kubectl_ovn_lsp.nb.query import describe
from kubectl_ovn_lsp.nb.reader import NbReader
from kubectl_ovn_lsp.nb.remotes import NbSslFiles, check_remotes, tls_context


def read_direct(
    remotes: str,
    selection: Selection,
    timeout: float | Deadline | None,
    ssl: NbSslFiles | None = None,
    *,
    member_timeout: float = transact.MEMBER_TIMEOUT,
    first: str | None = None,
) -> NbLookup:
    """Read `selection` from the first member of `remotes` that answers, within the budget (a Deadline, or
    seconds; None: no limit); each member's first answer within `member_timeout` seconds, `first` tried first
    (`transact.read_select`). Raises the NbDirectError family: NbUnreachable (refused by all, or no answer in
    time), NbTlsError, NbSslConfigError, NbSchemaError; ValueError for a narrow selection of nothing."""
    if not (selection.every_port or selection.stall_step or selection.names or selection.pod_keys):
        raise ValueError("a direct read needs at least one port name or pod key, or every port")
    budget = Deadline.of(timeout)
    parts = check_remotes(remotes, ssl)
    context = tls_context(ssl) if ssl is not None and any(r.startswith("ssl:") for r in parts) else None
    return transact.read_select(parts, selection, budget, context, member_timeout, first)


class DirectReader(NbReader):
    """`read_direct` behind the reader interface: the TLS files are opened at the first read (flags, or the
    `kube-ovn-tls` Secret written to a private directory) and removed when the reader closes; failures become one
    `NbUnavailable` line naming the remote(s)."""

    def __init__(
        self,
        remotes: str,
        deadline: float | Deadline | None,
        *,
        tls: AbstractContextManager[NbSslFiles | None] | None = None,
        trace: Callable[[str], None] | None = None,
        member_timeout: float = transact.MEMBER_TIMEOUT,
    ) -> None:
        super().__init__()
        self.remotes = remotes
        self.member_timeout = member_timeout
        self._answered: str | None = None  # the member this reader's first read came from
        self.deadline = Deadline.of(deadline)
        self._tls = tls
        self._trace = trace
        self._stack = contextlib.ExitStack()
        self._files: NbSslFiles | None = None
        self._opened = False

    def _read(self, selection: Selection) -> NbLookup:
        if not self._opened:
            self._files = self._stack.enter_context(self._tls) if self._tls is not None else None
            self._opened = True
        if self._trace is not None:
            self._trace(one_line(f"I nb: {describe(selection)} at {self.remotes} (transact … abort)"))
        try:
            lookup = read_direct(
                self.remotes,
                selection,
                self.deadline,
                self._files,
                member_timeout=self.member_timeout,
                first=self._answered,  # every read of one command from the same member
            )
            self._answered = self._answered or lookup.endpoint
            return lookup
        except NbDirectError as exc:
            raise NbUnavailable(f"OVN {exc}") from None  # the message already names the remote(s)

    def close(self) -> None:
        super().close()
        self._stack.close()
