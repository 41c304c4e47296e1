"""`triage -f FILE` and `-f -`: a saved log read as a stream, within the command's budget.

- A regular file, a device (`/dev/zero`), a FIFO or standard input (a pipe or a terminal) is read in chunks; the
  lines are cut by `model/loglines.LineSplit`, so memory is a chunk plus one line whatever the input's size.
- Every read waits only for what is left of `--request-timeout`: `select.poll` on the descriptor first, so a FIFO
  nobody writes, or a pipe that stays open and silent, ends in one `error:` line naming the file instead of a hang
  (with `--request-timeout 0` it waits, as asked). A FIFO is opened with O_NONBLOCK, since a plain `open` waits
  for a writer before any timeout could apply; its reads then block again (poll says when there is data).
- A failure to open or read names the file (`UnreadableFile`), never the Kubernetes API.
"""

from __future__ import annotations

import os
import select
import stat
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kubectl_ovn_lsp.commands.errors import UnreadableFile

if TYPE_CHECKING:
    from kubectl_ovn_lsp.deadline import Deadline
    from kubectl_ovn_lsp.environment import Environment

CHUNK = 1 << 16
STDIN = "standard input"


def label(file: str) -> str:
    """How messages name the input: `standard input`, or the path as Python quotes it (control characters
    escaped)."""
    return STDIN if file == "-" else repr(file)


def chunks(file: str, env: Environment, deadline: Deadline) -> Iterator[bytes]:
    """The bytes of `file` ("-": the Environment's stdin) as they can be read, each read within the budget."""
    name = label(file)
    what = f"reading {name}"
    if file == "-":
        stream = env.stdin
        if stream is None:
            raise UnreadableFile(source=STDIN, reason="not available")
        fd = _fileno(stream)
        if fd is None:  # an in-memory stream (a test's): nothing can block
            data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode()
            yield data
            return
        yield from _read_fd(fd, name, what, deadline)
        return
    fd = _open(file, name)
    try:
        yield from _read_fd(fd, name, what, deadline)
    finally:
        os.close(fd)


def _fileno(stream: object) -> int | None:
    try:
        return int(getattr(stream, "buffer", stream).fileno())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None


def _open(path: str, name: str) -> int:
    try:
        if stat.S_ISDIR(os.stat(path).st_mode):
            raise UnreadableFile(source=name, reason="is a directory")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO: do not wait here for a writer
        os.set_blocking(fd, True)
    except OSError as exc:
        raise UnreadableFile(source=name, reason=exc.strerror or str(exc)) from None
    return fd


def _read_fd(fd: int, name: str, what: str, deadline: Deadline) -> Iterator[bytes]:
    """The step `reading …` lasts until the input ends: the scan of each chunk (between the yields) is part of it."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    with deadline.guard(what, local=True):
        while True:
            left = deadline.timeout(what, local=True)
            try:
                if not poller.poll(None if left is None else max(1, int(left * 1000))):
                    raise deadline.error(what, local=True)  # nothing to read before the budget ran out
                data = os.read(fd, CHUNK)
            except OSError as exc:
                raise UnreadableFile(source=name, reason=exc.strerror or str(exc)) from None
            if not data:
                return
            yield data
