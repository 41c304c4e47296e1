"""`kubectl_complete-ovn_lsp`: the completion helper kubectl runs for `kubectl ovn-lsp <TAB>`.

kubectl calls it with the words typed after the plugin name, the last one being the partial word, and reads
one candidate per line (optionally `candidate<TAB>description`) and a final directive line (cobra's protocol:
`:4` no file completion, `:0` let the shell complete file names, `:6` also no space after the candidate).

Why not argcomplete: it lists every flag for an empty word (a single TAB in bash then types `-`) and it
costs an import. This walks the argparse parser itself, so every subcommand and flag the parser gains is
completed without a list to keep in step; values come from the parser (choices, `a|b` metavars) and from the
table in `complete_values.py`. Nothing here imports `kubernetes`: cluster values come from `kubectl` itself.
Any error means no candidates, never output on stderr: completion must stay silent in the user's shell.
"""

from __future__ import annotations

import argparse
import contextlib
import sys

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` would import typing (~2 ms) on every TAB
if TYPE_CHECKING:
    from collections.abc import Sequence

NO_FILE_COMPLETION = ":4"


class Position:
    """Where the completed words leave the parser: the (sub)parser reached, what was given, what is pending.

    A plain class, not a dataclass: importing `dataclasses` costs ~5 ms, a tenth of a TAB's budget.
    """

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self.parser = parser
        self.chosen_subcommand = False
        self.positionals_done = 0
        self.pending: argparse.Action | None = None  # an option whose value is the partial word
        self.only_positionals = False  # after `--`
        self.used: set[str] = set()  # dests of the options given
        self.values: dict[str, str] = {}  # dest -> value given (the last one wins)


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[argparse.ArgumentParser] | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def _positionals(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if not a.option_strings and not isinstance(a, argparse._SubParsersAction)]


def takes_value(action: argparse.Action) -> bool:
    """store_true, count, help, version take none; everything else takes one word here."""
    return action.nargs != 0


def _option(position: Position, word: str) -> None:
    """Record an option word (`--flag`, `--flag=value`, `-n`, `-nNS`, `-Av`)."""
    table = position.parser._option_string_actions
    name, equals, value = word.partition("=")
    action = table.get(name)
    if action is not None:
        position.used.add(action.dest)
        if takes_value(action):
            if equals:
                position.values[action.dest] = value
            else:
                position.pending = action
        else:
            position.values[action.dest] = "true"
        return
    if word.startswith("--"):
        return
    for index, letter in enumerate(word[1:], start=1):  # short options bundled: -Av, -nNS
        action = table.get(f"-{letter}")
        if action is None:
            return
        position.used.add(action.dest)
        if takes_value(action):
            rest = word[index + 1 :]
            if rest:
                position.values[action.dest] = rest
            else:
                position.pending = action
            return
        position.values[action.dest] = "true"


def walk(parser: argparse.ArgumentParser, words: Sequence[str]) -> Position:
    """Follow the completed words through the parser and its subparsers, as argparse would parse them."""
    position = Position(parser)
    for word in words:
        if position.pending is not None:
            position.values[position.pending.dest] = word
            position.pending = None
        elif word == "--" and not position.only_positionals:
            position.only_positionals = True
        elif word.startswith("-") and word != "-" and not position.only_positionals:
            _option(position, word)
        else:
            sub = _subparsers(position.parser)
            if sub is not None and not position.chosen_subcommand:
                if word in sub.choices:
                    position.parser = sub.choices[word]
                    position.chosen_subcommand = _subparsers(position.parser) is None
                    position.positionals_done = 0
                continue
            positionals = _positionals(position.parser)
            if position.positionals_done < len(positionals):
                position.values[positionals[position.positionals_done].dest] = word
            position.positionals_done += 1
    return position


def _flags(position: Position, partial: str) -> list[str]:
    """Option strings of the parser reached, each with its help; options already given are left out."""
    out = []
    for action in position.parser._actions:
        repeatable = isinstance(action, (argparse._AppendAction, argparse._CountAction))
        if not action.option_strings or (action.dest in position.used and not repeatable):
            continue
        if action.help == argparse.SUPPRESS:
            continue
        description = _first_sentence(action.help or "")
        for option in action.option_strings:
            if option.startswith(partial):
                out.append(f"{option}\t{description}" if description else option)
    return out


def _first_sentence(text: str) -> str:
    text = " ".join(text.replace("%%", "%").split())
    return text.split("; ")[0][:80]


def _subcommands(sub: argparse._SubParsersAction[argparse.ArgumentParser], partial: str) -> list[str]:
    helps = {a.dest: a.help or "" for a in sub._choices_actions}
    # `sandbox` is not ours: kubectl itself offers it, having found the kubectl-ovn_lsp-sandbox plugin
    return [
        f"{name}\t{_first_sentence(helps.get(name, ''))}" if helps.get(name) else name
        for name in sub.choices
        if name.startswith(partial)
    ]


def candidates(words: Sequence[str], parser: argparse.ArgumentParser | None = None) -> tuple[list[str], str]:
    """(candidates, directive) for `kubectl ovn-lsp <words…>`, the last word being the partial one."""
    from kubectl_ovn_lsp.cli import complete_values

    if parser is None:
        from kubectl_ovn_lsp.cli.parser import build_parser

        parser = build_parser()
    *done, partial = list(words) or [""]
    position = walk(parser, done)
    if position.pending is not None:
        return complete_values.values_for(position.pending, partial, position.values)
    if partial.startswith("--") and "=" in partial and not position.only_positionals:
        name, _, value = partial.partition("=")
        action = position.parser._option_string_actions.get(name)
        if action is None or not takes_value(action):
            return [], NO_FILE_COMPLETION
        found, directive = complete_values.values_for(action, value, position.values)
        return [f"{name}={c}" for c in found], directive
    if partial.startswith("-") and not position.only_positionals:
        return _flags(position, partial), NO_FILE_COMPLETION
    sub = _subparsers(position.parser)
    if sub is not None and not position.chosen_subcommand:
        return _subcommands(sub, partial), NO_FILE_COMPLETION
    positional = _next_positional(position)
    if positional is None:
        return [], NO_FILE_COMPLETION
    return complete_values.values_for(positional, partial, position.values)


def _next_positional(position: Position) -> argparse.Action | None:
    positionals = _positionals(position.parser)
    if position.positionals_done < len(positionals):
        return positionals[position.positionals_done]
    return None


def write(found: list[str], directive: str, stream=None) -> None:  # type: ignore[no-untyped-def]
    """The protocol's output: one candidate per line, then the directive line."""
    stream = stream or sys.stdout
    stream.write("".join(f"{c}\n" for c in found) + directive + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `kubectl_complete-ovn_lsp` (and of `kubectl-ovn_lsp __complete`); always exits 0."""
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        found, directive = candidates(words or [""])
    except Exception:  # completion never prints errors into the user's shell
        found, directive = [], NO_FILE_COMPLETION
    with contextlib.suppress(BrokenPipeError):
        write(found, directive)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
