"""Which backend reads NB for a command: the user's `--nb`, `auto`/`exec` (`ovsdb-client query` in an ovn-central
pod, `nb/exec.py`) or a remote list (`tcp:`/`ssl:`, read directly, `nb/direct.py`), behind the one reader
interface of `nb/reader.py`. Backends are imported only when chosen (start-up is measured).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TextIO

from kubectl_ovn_lsp.deadline import Deadline
from kubectl_ovn_lsp.kube.client import KubeClient
from kubectl_ovn_lsp.nb.reader import NbReader
from kubectl_ovn_lsp.options import NbOptions


@contextlib.contextmanager
def open_reader(
    client: KubeClient,
    options: NbOptions,
    deadline: Deadline,
    *,
    verbose: bool = False,
    stderr: TextIO = sys.stderr,
) -> Iterator[NbReader]:
    """The reader `--nb` asks for (`options.target`), closed when the block ends."""
    reader: NbReader
    if options.target in ("auto", "exec"):
        from kubectl_ovn_lsp.nb.exec import ExecReader

        reader = ExecReader(client, options.ovn_namespace, options.member_timeout)
    else:
        from kubectl_ovn_lsp.nb import tls
        from kubectl_ovn_lsp.nb.direct import DirectReader

        def trace(line: str) -> None:
            stderr.write(line + "\n")

        files = tls.client_files(options, client)
        reader = DirectReader(
            options.target, deadline, tls=files, trace=trace if verbose else None, member_timeout=options.member_timeout
        )
    try:
        yield reader
    finally:
        reader.close()
