"""The console entry points (`kubectl-ovn_lsp`, `kubectl_complete-ovn_lsp`, `python -m kubectl_ovn_lsp`, the krew
launcher): install the one-line error handling before anything of the plugin is imported.

Why a module of its own: the parser, the option groups and the handlers' modules are imported by `cli/main.py`
at its top, so a failure while importing them (no memory left under `ulimit -v`, a dependency that is missing or
broken) happened before `cli/main.guarded` could map it and printed a traceback. This module imports nothing
but `os` and `sys` (both already loaded by the interpreter's start-up), so once the interpreter runs it, every
failure of the command — at import, while building the parser, or in a handler — ends in one `error: …` line:
out of memory as `OUT_OF_MEMORY` (exit 1), Ctrl-C as `error: interrupted` (130), anything else as an internal
error (exit 1; `$KUBECTL_OVN_LSP_TRACEBACK` set shows the traceback). README, "Exit codes".

What stays outside any Python code: an interpreter that cannot start at all (CPython's own `Fatal Python
error: …`, or the loader's `failed to map segment` for libc), or a `.pth` file of site-packages that fails
while `site` runs (an editable install's finder), which CPython reports itself before the entry point runs.
"""

import os
import sys

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` imports typing, and `from __future__ import
if TYPE_CHECKING:  # annotations` imports __future__: this module imports nothing the interpreter has not loaded
    from typing import TextIO

OUT_OF_MEMORY = (
    "error: out of memory: the command needs more memory than this process may use (ulimit -v, a cgroup limit)\n"
)
TRACEBACK = "KUBECTL_OVN_LSP_TRACEBACK"  # set: an internal error raises with its traceback instead of one line
INTERRUPTED = 130  # cli/exit_status.ExitStatus.INTERRUPTED (that module is not imported here: it may not load)
ERROR = 1  # cli/exit_status.ExitStatus.ERROR

# CPython (3.11 at least) can lose the MemoryError of an allocation that failed inside the import machinery and
# report instead that a C function failed without an exception: seen as `SystemError: error return without exception
# set` from exec_module while importing kubernetes under `ulimit -v 30M` (tests/e2e/test_faults.py), and as
# `<function _find_and_load …> returned NULL without setting an exception`.
LOST_MEMORY_ERRORS = ("error return without exception set", "returned NULL without setting an exception")
# Its compiler does the same while building a syntax tree: an AST node constructor (Python-ast.c) handed a child
# whose allocation failed reports `ValueError: field 'target' is required for AnnAssign` (seen compiling a module
# without cached bytecode under `ulimit -v` ~17 MB, tests/cli/test_start_failures.py).
AST_FIELD_REQUIRED = ("field '", "' is required for ")
# And its parser: a token or node it could not allocate reads as the end of a rule, so a valid module compiled
# from source (no cached bytecode: a fresh clone's editable install) fails as `SyntaxError: expected ':'
# (flags.py, line 266)` under `ulimit -v` ~15 MB (tests/cli/test_start_failures.py, CI on a fresh clone). Every
# module the plugin imports compiles (ruff, mypy and the suite import them all), so a SyntaxError while memory is
# limited is the compiler out of memory.


def main() -> int:
    """`kubectl-ovn_lsp`: `cli.main.main()` with every failure around it, the imports included, one line."""
    try:
        from kubectl_ovn_lsp.cli.main import main as run

        return run()
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 - the promise is one line, whatever failed
        return report_start_failure(exc, sys.stderr)


def complete() -> int:
    """`kubectl_complete-ovn_lsp`: completion stays silent in the user's shell, so any failure (its imports
    included) means no candidates: cobra's `:4` directive (no file completion) on stdout, exit 0."""
    try:
        from kubectl_ovn_lsp.cli.complete import main as run

        return run()
    except SystemExit:
        raise
    except BaseException:  # noqa: BLE001 - never a word on stderr from a TAB
        try:
            sys.stdout.write(":4\n")
            sys.stdout.flush()
        except BaseException:  # noqa: BLE001, S110 - a closed pipe or no memory: nothing more to say
            pass
        return 0


def report_start_failure(exc: BaseException, stderr: "TextIO") -> int:
    """One `error:` line on `stderr` for what escaped `cli.main.main()`, and its exit status."""
    write = stderr.write
    try:
        if out_of_memory(exc):
            write(OUT_OF_MEMORY)
            return ERROR
        if isinstance(exc, KeyboardInterrupt):
            write("error: interrupted\n")
            return INTERRUPTED
        if os.environ.get(TRACEBACK):
            raise exc
        write(internal_error(exc))
    except MemoryError:  # while reporting
        write(OUT_OF_MEMORY)
    return ERROR


def internal_error(exc: BaseException) -> str:
    """The line of an error no table knows (`cli/main._report` prints it too): its type and its message on one
    line, control characters escaped as `errors.one_line` escapes them."""
    text = " ".join(str(exc).split())
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return f"error: internal error: {type(exc).__name__}: {text} (set {TRACEBACK}=1 for details)\n"


def out_of_memory(exc: BaseException) -> bool:
    """MemoryError, a library that could not be mapped for want of address space (`ulimit -v`), or CPython's
    SystemError for a failure without an exception, or its compiler's ValueError for a syntax-tree field that is
    missing, or its parser's SyntaxError in a module that compiles, while this process's address space or data is
    limited (only such a limit makes an allocation fail: a
    cgroup's memory limit kills the process instead)."""
    text = str(exc)
    if isinstance(exc, SystemError) and any(lost in text for lost in LOST_MEMORY_ERRORS):
        return memory_limited()
    if isinstance(exc, ValueError) and text.startswith(AST_FIELD_REQUIRED[0]) and AST_FIELD_REQUIRED[1] in text:
        return memory_limited()
    if isinstance(exc, SyntaxError):
        return memory_limited()
    return isinstance(exc, MemoryError) or (
        isinstance(exc, ImportError) and ("failed to map segment" in text or "Cannot allocate memory" in text)
    )


def memory_limited() -> bool:
    """Whether RLIMIT_AS or RLIMIT_DATA is set (`ulimit -v`, `ulimit -d`); not even able to look: memory is short."""
    try:
        import resource

        limits = (resource.getrlimit(resource.RLIMIT_AS)[0], resource.getrlimit(resource.RLIMIT_DATA)[0])
    except (ImportError, MemoryError):
        return True
    return any(limit != resource.RLIM_INFINITY for limit in limits)
