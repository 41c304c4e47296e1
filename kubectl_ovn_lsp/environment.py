"""What a command may touch of the process (httpie's Environment): streams, variables, clock, terminal.

`cli.main` builds one from the process (`cli.main.process_environment`) unless its caller passes its own, as the
tests do; nothing below the CLI reads `os.environ`, `sys.argv` or the real streams. A plain class, not a
dataclass, and nothing imported at run time: every command builds one, `version` and `--help` included, and
`dataclasses` alone costs ~8 ms of a ~40 ms start. This module imports nothing of the plugin, so every layer may
use it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` would import typing (~2 ms)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime
    from typing import TextIO


def utc_now() -> datetime:
    """The wall clock, timezone-aware UTC (the default `Environment.now`)."""
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


class Environment:
    """Streams (`stdout`, `stderr`, `stdin`), variables (`environ`), the clock (`now`), whether the streams are
    terminals, the program as it was run (`program`, sys.argv[0]: `completion install` points its helper at it)
    and whether the deadline's watchdog may end the process (`hard_stop`: only when running as the program)."""

    __slots__ = (
        "stdout",
        "stderr",
        "stdin",
        "environ",
        "now",
        "stderr_is_tty",
        "stdout_is_tty",
        "program",
        "hard_stop",
    )

    def __init__(
        self,
        stdout: TextIO,
        stderr: TextIO,
        stdin: TextIO | None = None,
        environ: Mapping[str, str] | None = None,
        now: Callable[[], datetime] = utc_now,
        stderr_is_tty: bool = False,
        stdout_is_tty: bool = False,
        program: str = "",
        hard_stop: bool = False,
    ) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin
        self.environ: Mapping[str, str] = environ if environ is not None else {}
        self.now = now
        self.stderr_is_tty = stderr_is_tty
        self.stdout_is_tty = stdout_is_tty  # --color auto colours verdict words only on a terminal
        self.program = program
        self.hard_stop = hard_stop

    def progress(self, text: str) -> None:
        """A progress line on a terminal only (overwritten in place); nothing when stderr is a file or pipe."""
        if self.stderr_is_tty:  # our own text (`listing pods…`), but never let a name in it drive the terminal
            shown = text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
            self.stderr.write(f"\r\033[K{shown}")
            self.stderr.flush()

    def progress_done(self) -> None:
        if self.stderr_is_tty:
            self.stderr.write("\r\033[K")
            self.stderr.flush()
