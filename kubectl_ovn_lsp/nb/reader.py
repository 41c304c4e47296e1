"""One entry point for NB reads: the selection goes through exec into ovn-central, or directly to the remotes.

One description of what is read (`nb/query.py` `Selection`): exec sends it as one `ovsdb-client query`; the direct
path reads explain's names and pod keys with ovsdbapp's IDL (conditional monitoring, `nb/monitor.py`) and every
port (audit, triage) as one `select … abort` transaction (`nb/direct.py`). Which backend is the user's `--nb`.
NB failures become one `NbUnavailable` line naming the endpoint.
"""

from __future__ import annotations

import sys
from typing import TextIO

from kubectl_ovn_lsp.deadline import Deadline
from kubectl_ovn_lsp.errors import one_line
from kubectl_ovn_lsp.kube.client import KubeClient
from kubectl_ovn_lsp.model.records import NbLookup
from kubectl_ovn_lsp.nb.errors import NbDirectError, NbUnavailable
from kubectl_ovn_lsp.nb.query import Selection
from kubectl_ovn_lsp.options import NbOptions


def read_nb(
    client: KubeClient,
    options: NbOptions,
    selection: Selection,
    timeout: float | Deadline | None,
    *,
    verbose: bool = False,
    stderr: TextIO = sys.stderr,
) -> NbLookup:
    """The ports of `selection` from NB, with where they came from (`via`, `endpoint`, `leaderOnly`)."""
    if options.target in ("auto", "exec"):
        from kubectl_ovn_lsp.nb.exec import read_via_exec

        return read_via_exec(client, options.ovn_namespace, selection)
    from kubectl_ovn_lsp.nb import direct, tls

    with tls.client_files(options, client) as files:
        if verbose:
            stderr.write(one_line(f"I nb: {selection.describe()} at {options.target} (transact … abort)") + "\n")
        try:
            if selection.every_port:  # audit, triage: one select (a full IDL sync would take 20 s)
                return direct.read_direct(options.target, selection, timeout, ssl=files)
            return direct.lookup_direct(
                options.target, selection.names, selection.pod_keys, timeout, ssl=files, switches=selection.switches
            )
        except NbDirectError as exc:
            raise NbUnavailable(f"OVN {exc}") from None  # the message already names the remote(s)
