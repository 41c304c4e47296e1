"""The direct NB backend (`--nb tcp:…|ssl:…`, raft member lists): a selection of every port (audit, triage) is one
`select … abort` transaction (`nb/transact.py`); a narrow one (explain's names, pod keys and switches) is a probe
to find the member that answers (`transact.probe`), then ovsdbapp's IDL with conditional monitoring on that member
(`nb/monitor.py`). Those two modules do not import each other: this one composes them, over the member list and
TLS material of `nb/remotes.py`.
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
    budget = Deadline.of(timeout)
    parts = check_remotes(remotes, ssl)
    context = tls_context(ssl) if ssl is not None and any(r.startswith("ssl:") for r in parts) else None
    if selection.every_port or selection.stall_step:  # audit, triage: one select (a full IDL sync would take 20 s)
        return transact.read_select(parts, selection, budget, context, member_timeout, first)
    if not (selection.names or selection.pod_keys):
        raise ValueError("a direct read needs at least one port name or pod key, or every port")
    from kubectl_ovn_lsp.nb.monitor import read_monitor

    answered = transact.probe(parts, budget, context, member_timeout, first)
    return read_monitor(answered, ",".join(parts), selection, budget, ssl)


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
