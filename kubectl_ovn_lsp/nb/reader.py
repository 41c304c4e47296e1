"""The NB reader: one interface over the backends (ovsdbapp's api/impl split: this abstract reader; `nb/exec.py`
and `nb/direct.py` behind it), one signature, `read(selection) -> NbLookup`, one `Selection` (model/records.py:
what to read, planned by the model).

A reader lives for one command (`nb/backend.open_reader`, a context manager: the TLS files of a direct read are
removed when it closes). It reads NB at most once per selection: a selection that an earlier answer covers (the
same one, or a narrower one: explain's port-name and orphan targets, `Selection.covers`) is answered from it, as
NB would have answered it. NB failures are one `NbUnavailable` line naming the endpoint.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from kubectl_ovn_lsp.model.records import NbLookup, Selection


class NbReader(ABC):
    """Reads selections from one NB (one backend), within the command's time budget."""

    def __init__(self) -> None:
        self._answers: list[tuple[Selection, NbLookup]] = []

    def read(self, selection: Selection) -> NbLookup:
        """The ports (and switches) of `selection`, with where they came from (`via`, `endpoint`, `leaderOnly`).
        Raises an NbError (`NbUnavailable`, `OvnCentralNotFound`, `NbTlsMaterial`) or the deadline's Timeout."""
        for asked, lookup in self._answers:
            if asked.covers(selection):
                return asked.answer(lookup, selection)
        lookup = self._read(selection)
        self._answers.append((selection, lookup))
        return lookup

    @abstractmethod
    def _read(self, selection: Selection) -> NbLookup:
        """One read of NB, by the backend."""

    def close(self) -> None:
        """Forget the answers; a backend releases what it holds too."""
        self._answers.clear()
