"""The value types of the command line's flags: each turns a word into a value or a one-line usage error.

Light on purpose (argparse and our errors only): completion builds the parser on every TAB.
"""

from __future__ import annotations

import argparse
import math

from kubectl_ovn_lsp.errors import quote_name


def boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def request_timeout(text: str) -> float | None:
    """kubectl's forms (`10`, `10s`, `1m`, `1m30s`); `0` = no limit (None). Turned into the command's
    `Deadline` right after parsing (see `main`), so the budget covers the whole command."""
    from kubectl_ovn_lsp.deadline import BadDuration, parse_duration

    try:
        return parse_duration(text)
    except BadDuration as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def member_timeout(text: str) -> float:
    """`--nb-member-timeout`: kubectl's duration forms, more than zero and at most one hour (a member that takes
    longer than that to answer a probe of one indexed row is not serving reads)."""
    from kubectl_ovn_lsp.deadline import BadDuration, parse_duration

    try:
        seconds = parse_duration(text, limit=3600.0)
    except BadDuration as exc:
        raise argparse.ArgumentTypeError(str(exc).replace("one day (86400s, 24h)", "one hour (3600s, 1h)")) from None
    if seconds is None:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text!r}")
    return seconds


def namespace_name(text: str) -> str:
    """A namespace is a DNS-1123 label: checked here so `x;y` is a usage error naming the value, not a 404
    ("the server could not find the requested resource") from deep inside a command."""
    import re

    if not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", text) or len(text) > 63:
        raise argparse.ArgumentTypeError(
            f'"{quote_name(text)}" is not a valid namespace name (lower-case letters, digits and "-", at most 63)'
        )
    return text


def object_name(text: str) -> str:
    """What any object name can be: non-empty, at most 253 characters, no control characters, no "/" or "%",
    not "." or ".." (Kubernetes' path-segment rule; upper case and dots are allowed for custom resources)."""
    if not text:
        raise argparse.ArgumentTypeError("a name is required")
    if len(text) > 253:
        raise argparse.ArgumentTypeError(f"a name has at most 253 characters, got {len(text)}")
    if not text.isprintable() or any(ch in text for ch in "/%") or text in (".", "..") or text != text.strip():
        raise argparse.ArgumentTypeError(f'"{quote_name(text)}" is not a valid object name')
    return text


def nb_target(text: str) -> str:
    """auto, exec, or a comma list of tcp:/ssl: remotes all of one scheme (raft members), each HOST:PORT with a
    port from 1 to 65535."""
    if text in ("auto", "exec"):
        return text
    expected = f"expected auto, exec, or tcp:HOST:PORT[,…] / ssl:HOST:PORT[,…], got {text!r}"
    remotes = text.split(",")
    schemes = {r.split(":", 1)[0] for r in remotes}
    if len(schemes) != 1 or not schemes <= {"tcp", "ssl"} or any(r.count(":") < 2 for r in remotes):
        raise argparse.ArgumentTypeError(expected)
    for remote in remotes:
        host, _, port = remote.split(":", 1)[1].rpartition(":")
        if not host.strip("[]") or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise argparse.ArgumentTypeError(f"{expected}: {remote!r} needs a host and a port from 1 to 65535")
    return text


EVERY_RELEASE = "all"  # `--kube-ovn-version all`: explain's byRelease table over every checked release


def kube_ovn_version(text: str) -> str:
    """A release (`v1.13.4`, `1.13.4`, `v1.12.20-mc`, `v1.16.0-400-g1533681d7`) or `master`; normalised to
    `vX.Y.Z…`. A release older than every checked one (`v1.6.0`) is refused (docs/contracts.md, "Versions")."""
    from kubectl_ovn_lsp.model.releases import resolve  # pure and light: no I/O imports
    from kubectl_ovn_lsp.model.versions import parse_version

    if text in ("master", "main"):
        return text
    if parse_version(text) is None or "/" in text or "@" in text:
        raise argparse.ArgumentTypeError(f"expected a release such as v1.13.4 (or master), got {text!r}")
    refused = resolve(text).refused  # older than every checked release: nothing stands in for it
    if refused:
        raise argparse.ArgumentTypeError(f"{text} is {refused}")
    return text if text.startswith("v") else f"v{text}"


class KubeOvnVersion:
    """`--kube-ovn-version`'s type for one command: a release or `master`, and `all` only where it is answered.

    `all` is explain's alone (the detected release replayed, plus byRelease over every checked one); a command
    that replays one release refuses it here, so its help, its completion (which offers only what this type
    accepts) and its parsing agree. A class rather than a closure so each parser's type is named in tests.
    """

    def __init__(self, command: str, every_release: bool) -> None:
        self.command = command
        self.every_release = every_release
        self.__name__ = "kube_ovn_version"  # argparse names the type in a ValueError's message

    def __call__(self, text: str) -> str:
        if text == EVERY_RELEASE:
            if self.every_release:
                return text
            raise argparse.ArgumentTypeError(f"'all' (byRelease) is explain's; {self.command} replays one release")
        return kube_ovn_version(text)


class UpgradeTarget:
    """`--upgrade-to`'s type: a release or `master` (as `--kube-ovn-version` takes them), and `all` where the
    command answers it (audit's one row per release branch). A class, like `KubeOvnVersion`, so completion offers
    only what it accepts."""

    def __init__(self, command: str, every_release: bool) -> None:
        self.command = command
        self.every_release = every_release
        self.__name__ = "upgrade_target"

    def __call__(self, text: str) -> str:
        if text == EVERY_RELEASE:
            if self.every_release:
                return text
            raise argparse.ArgumentTypeError(
                f"'all' (one row per release branch) is audit's; {self.command} compares with one release"
            )
        return kube_ovn_version(text)


def explain_target(text: str) -> str:
    """`NAME` or a port name, or a kind prefix and NAME (`model/targets.py`: `pod/NAME`, `vm/NAME`, `vmi/NAME`,
    `node/NAME`, `vip/NAME`, and kubectl's other names for the kinds); a pasted
    GC log line is its port name, and the quotes and punctuation a copy drags along are dropped (`vm-a.ns,`)."""
    from kubectl_ovn_lsp.model.suggest import target_from_paste
    from kubectl_ovn_lsp.model.targets import TARGET_PREFIXES, target_forms_text

    text = target_from_paste(text)

    prefix, slash, name = text.partition("/")
    if slash and (prefix.lower() not in TARGET_PREFIXES or not name or "/" in name):
        raise argparse.ArgumentTypeError(f'expected {target_forms_text()}, got "{quote_name(text)}"')
    if slash or len(text) <= 253 or "." not in text:
        object_name(name if slash else text)
    elif len(text) > 512 or not text.isprintable() or "%" in text:  # a port name (owner + namespace + provider)
        raise argparse.ArgumentTypeError(f'"{quote_name(text[:80])}…" is not a valid object or port name')
    return text


def verdict_list(text: str) -> list[str]:
    from kubectl_ovn_lsp.model.verdicts import BY_NAME

    words = [w.strip() for w in text.split(",") if w.strip()]
    unknown = [w for w in words if w not in BY_NAME]
    if not words or unknown:
        raise argparse.ArgumentTypeError(f"expected verdicts from {', '.join(BY_NAME)}, got {text!r}")
    return words


INT64_MAX = (1 << 63) - 1
UINT64_MAX = (1 << 64) - 1
# the start of kubectl's own messages for a value its flag parser refused: `cli/parser.Parser.error` frames them
PARSE_INT = "strconv.ParseInt"
INVALID_DURATION = "time: invalid duration"


def go_int64(text: str) -> int:
    """A whole number as kubectl's int64 flags take it (`--chunk-size`, `--tail`, `--limit-bytes`): pflag calls
    Go's `strconv.ParseInt(text, 0, 64)`, so `0x10`, `0o17`, `0b11`, `010` (octal) and `1_000` are numbers, a
    space or a value outside int64 is not. Errors are Go's words (`strconv.ParseInt: parsing "…": invalid
    syntax` / `value out of range`), which `cli/parser.Parser.error` prints as kubectl prints them."""
    sign, body = (text[0], text[1:]) if text[:1] in ("+", "-") else ("", text)
    base, digits = 10, body
    if body[:2].lower() in ("0x", "0o", "0b"):
        base, digits = {"x": 16, "o": 8, "b": 2}[body[1].lower()], body[2:]
    elif body[:1] == "0" and len(body) > 1:
        base, digits = 8, body[1:]
    syntax = argparse.ArgumentTypeError(f'{PARSE_INT}: parsing "{quote_name(text)}": invalid syntax')
    out_of_range = argparse.ArgumentTypeError(f'{PARSE_INT}: parsing "{quote_name(text)}": value out of range')
    value = 0
    for char in digits:  # strconv.ParseUint's loop: a bad digit is a syntax error, past uint64 a range error
        if char == "_":
            continue
        digit = int(char, 36) if char.isascii() and char.isalnum() else 36
        if digit >= base:
            raise syntax
        value = value * base + digit
        if value > UINT64_MAX:
            raise out_of_range
    if not digits or not _underscores_ok(text):
        raise syntax
    value = -value if sign == "-" else value
    if not -INT64_MAX - 1 <= value <= INT64_MAX:  # strconv.ParseInt's own range
        raise out_of_range
    return value


def _underscores_ok(text: str) -> bool:
    """Go's strconv.underscoreOK: an underscore only between digits, or between the base prefix and a digit."""
    body = text[1:] if text[:1] in ("+", "-") else text
    saw, start = "^", 0
    hexadecimal = False
    if len(body) >= 2 and body[0] == "0" and body[1].lower() in "box":
        saw, start, hexadecimal = "0", 2, body[1].lower() == "x"
    for char in body[start:]:
        if char.isdigit() and char.isascii() or hexadecimal and char.lower() in "abcdef":
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def chunk_size(text: str) -> int:
    value = go_int64(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (one request per kind) or more")
    return value


def since(text: str) -> int | None:
    """kubectl logs --since: a duration (`30m`, `6h`, `72h`); 0 means no filter; longer than Go's largest
    duration is kubectl's `time: invalid duration "…"` (it was an internal OverflowError)."""
    from kubectl_ovn_lsp.deadline import BadDuration, beyond_go_duration, parse_duration

    try:
        seconds = parse_duration(text, limit=None)
    except BadDuration as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if seconds is not None and beyond_go_duration(text):
        raise argparse.ArgumentTypeError(f'{INVALID_DURATION} "{quote_name(text)}"')
    return None if seconds is None else math.ceil(seconds)


def tail_lines(text: str) -> int | None:
    """kubectl logs --tail: the last N lines; -1 (kubectl's default) means all, below it is kubectl's error."""
    value = go_int64(text)
    if value < -1:
        raise argparse.ArgumentTypeError("must be greater than or equal to -1")  # kubectl logs' words
    return None if value == -1 else value


def limit_bytes(text: str) -> int | None:
    """kubectl logs --limit-bytes: at most N bytes; 0 (kubectl's default) means no limit, as kubectl sends no
    limitBytes then (the API server refuses limitBytes=0: that was an exit-1 422 here); negative is kubectl's
    error."""
    value = go_int64(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be greater than 0")  # kubectl logs' words
    return None if value == 0 else value


def count(text: str) -> int:
    value = go_int64(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def listen_address(text: str) -> tuple[str, int]:
    """serve --listen: `HOST:PORT`, `:PORT` (every address) or `[IPv6]:PORT`; the port 0-65535 (0: any free)."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or int(port) > 65535:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT or :PORT (port 0-65535), got {text!r}")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise argparse.ArgumentTypeError(f"write an IPv6 address in brackets, [{host}]:{port}, got {text!r}")
    if not host.isprintable() or " " in host:
        raise argparse.ArgumentTypeError(f"not a host name or address: {host!r}")
    return host, int(port)


def interval(text: str) -> float:
    """serve --interval: a duration (`6m`, `30s`, `500ms`), at least 100 ms, at most one day."""
    from kubectl_ovn_lsp.deadline import BadDuration, parse_duration

    try:
        seconds = parse_duration(text)
    except BadDuration as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if seconds is None or seconds < 0.1:
        raise argparse.ArgumentTypeError(f"must be at least 100ms, got {text!r}")
    return seconds


def positive(text: str) -> int:
    value = count(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
