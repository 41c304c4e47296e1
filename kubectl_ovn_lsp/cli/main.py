"""Command line: parse, let the subcommand's option group build its record, call its handler, and map every
error to an exit code in one place (httpie's `raw_main`).

`main(argv, env)` takes the `Environment` (streams, variables, clock, terminal) from its caller; run as the
program it builds it once from the process (`process_environment`), and nothing below reads the process.
The console scripts enter through `cli/entry.py`, which maps a failure of this module's own imports to one line
too. Only argparse and our own light modules are imported at start-up; kubernetes, ovsdbapp, tabulate and yaml are
imported by the command that needs them, so `--help` and completion stay fast.
"""

from __future__ import annotations

import contextlib
import sys

from kubectl_ovn_lsp.cli.entry import OUT_OF_MEMORY, TRACEBACK, internal_error, out_of_memory
from kubectl_ovn_lsp.cli.exit_status import ExitStatus
from kubectl_ovn_lsp.cli.groups import UsageError
from kubectl_ovn_lsp.cli.parser import EXIT_CODES_HELP, PROG, HelpFormatter, Parser, build_parser, usage_error
from kubectl_ovn_lsp.errors import one_line

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` imports typing (~2 ms) on every TAB: completion builds
if TYPE_CHECKING:  # this parser, so this module stays light
    from collections.abc import Callable, Sequence
    from typing import Any, TextIO, TypeVar

    T = TypeVar("T")

    from kubectl_ovn_lsp.environment import Environment

__all__ = [
    "EXIT_CODES_HELP",
    "OUT_OF_MEMORY",
    "PROG",
    "TRACEBACK",
    "HelpFormatter",
    "Parser",
    "build_parser",
    "main",
    "process_environment",
]


def process_environment(hard_stop: bool) -> Environment:
    """The real process: its streams, variables, program name and terminal. `hard_stop`: the deadline's watchdog
    may end the process (only when running as the program, never inside a test process)."""
    import os

    from kubectl_ovn_lsp.environment import Environment

    return Environment(
        stdout=Output(sys.stdout),  # type: ignore[arg-type]
        stderr=sys.stderr,
        stdin=sys.stdin,
        environ=dict(os.environ),
        stderr_is_tty=bool(getattr(sys.stderr, "isatty", lambda: False)()),
        stdout_is_tty=bool(getattr(sys.stdout, "isatty", lambda: False)()),
        program=sys.argv[0] if sys.argv else "",
        hard_stop=hard_stop,
    )


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    """Entry point of `kubectl-ovn_lsp`; returns the exit status instead of raising.

    `argv` None: the command line (and the Environment of the process, watchdog allowed). `env`: what the
    command may touch; None builds it from the process. Help and usage errors go to its streams too."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["__complete"]:  # the completion protocol, for the helper `completion install` writes
        from kubectl_ovn_lsp.cli.complete import main as complete

        return complete(words[1:])
    parser = build_parser()
    out, err = (sys.stdout, sys.stderr) if env is None else (env.stdout, env.stderr)
    if not words:  # like kubectl: a bare command prints its help
        parser.print_help(out)
        return int(ExitStatus.OK)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # argparse prints to sys.std*
            args = parser.parse_args(words)
    except SystemExit as exc:
        return int(exc.code or 0)
    if getattr(args, "handler", None) is None:
        parser.print_help(out)
        return int(ExitStatus.OK)
    if env is None:
        env = process_environment(hard_stop=argv is None)
        if not env.environ.get(TRACEBACK):  # libraries' warnings are for their developers (kubectl shows none):
            import warnings  # the promise on stderr is the one `error:` line

            warnings.simplefilter("ignore")
    try:
        options = args.flags.record(args, env)
    except UsageError as exc:
        env.stderr.write(usage_error(PROG, str(exc)))
        return int(ExitStatus.USAGE)
    handler: Callable[[object, Environment], int] = args.handler
    return guarded(lambda: handler(options, env), env)


def guarded(run: Callable[[], int], env: Environment) -> int:
    """Run a handler and map what it raises to its exit status (`cli/exit_status.py`, the one table), one
    `error: …` line on stderr, never a traceback (unless $KUBECTL_OVN_LSP_TRACEBACK is set): an error of a
    layer → its status with its message, Ctrl-C → 130, a closed pipe → 0, a stdout that refuses the output
    (`/dev/full`) → 1 as kubectl says it (`write /dev/stdout: no space left on device`), no memory left → 1,
    anything else → 1 as an internal error. The output is flushed here, so a refused write is met inside."""
    try:
        try:
            code = int(run())
            env.stdout.flush()
            return code
        except (Exception, KeyboardInterrupt) as exc:
            if out_of_memory(exc):
                env.stderr.write(OUT_OF_MEMORY)
                return int(ExitStatus.ERROR)
            return _report(exc, env)
    except MemoryError:  # while reporting (the error table imports the layers' errors)
        env.stderr.write(OUT_OF_MEMORY)
        return int(ExitStatus.ERROR)


def _report(exc: BaseException, env: Environment) -> int:
    from kubectl_ovn_lsp.cli.exit_status import status_of
    from kubectl_ovn_lsp.errors import OutputError

    if isinstance(exc, (OutputError, BrokenPipeError)):
        _discard_stdout(env)
    known = status_of(exc)
    if known is None:  # the promise is one line, never a traceback
        if env.environ.get(TRACEBACK):
            raise exc
        env.stderr.write(internal_error(exc))
        return int(ExitStatus.ERROR)
    status, text = known
    if text != "":
        env.stderr.write(f"error: {one_line(str(exc)) if text is None else text}\n")
    return int(status)


def _discard_stdout(env: Environment) -> None:
    """After a refused write the output's buffer still holds text, and the interpreter would try to flush it at
    exit ("Exception ignored … OSError" on stderr): point the descriptor at /dev/null first (the Python docs'
    advice for a closed pipe)."""
    import os

    try:
        fd = env.stdout.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except (AttributeError, OSError, ValueError):
        pass  # not a real descriptor (a test's stream): nothing will flush it at exit


class Output:
    """The process's stdout for the commands: a write or flush the system refuses (`ENOSPC` on /dev/full, `EIO`)
    becomes `OutputError` naming it as kubectl does; a closed pipe stays BrokenPipeError (exit 0, `| head`)."""

    def __init__(self, stream: TextIO, name: str = "/dev/stdout") -> None:
        self.stream = stream
        self.name = name

    def write(self, text: str) -> int:
        return self._do(lambda: self.stream.write(text))

    def flush(self) -> None:
        self._do(self.stream.flush)

    def _do(self, call: Callable[[], T]) -> T:
        from kubectl_ovn_lsp.errors import OutputError

        try:
            return call()
        except BrokenPipeError:
            raise
        except OSError as exc:
            reason = (exc.strerror or str(exc)).lower()
            raise OutputError(stream=self.name, reason=reason) from None

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding, buffer: the stream's own
        return getattr(self.stream, name)


if __name__ == "__main__":
    raise SystemExit(main())
