"""Rendering of command documents: JSON/YAML for scripts, a header + table + paragraph for people.

Verdicts are always words; colour only emphasises them and follows `--color` and NO_COLOR.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TextIO, TypeVar

from kubectl_ovn_lsp.commands.documents import version_source
from kubectl_ovn_lsp.errors import one_line
from kubectl_ovn_lsp.options import OutputOptions

if TYPE_CHECKING:
    from kubectl_ovn_lsp.commands.documents import Cluster, Explanation, KubeOvn, Nb, ReleaseVerdict

Document = TypeVar("Document", bound=Mapping[str, Any])
Shown = TypeVar("Shown", bound=Mapping[str, Any], contravariant=True)


class TextView(Protocol[Shown]):
    """A command's text renderer: `explanation_text`, `render_audit.audit_text`, `render_triage.triage_text`."""

    def __call__(self, document: Shown, wide: bool = ..., headers: bool = ..., colour: bool = ...) -> str: ...


def paint(word: str, enabled: bool) -> str:
    from kubectl_ovn_lsp.model.verdicts import BY_NAME

    found = BY_NAME.get(word)
    code = found.colour if found else None
    return f"\033[{code}m{word}\033[0m" if enabled and code else word


_OUR_SGR = re.compile(r"(\033\[[0-9;]*m)")  # the only escape sequences the plugin writes: paint()'s colours


def terminal_safe(text: str) -> str:
    """Text for a terminal: every control character that did not come from `paint` is shown escaped (`\\x1b`,
    `\\r`, `\\x9b`), never obeyed, and only `\\n` ends a line. The last pass over every text output, so a
    port name from NB, a controller log line, an object name or an annotation can never retitle, clear or
    rewrite the terminal, whatever column, note or advice it reaches (kubectl escapes ESC and CR in its
    printers, `printers.EscapeTerminal`; this escapes every non-printable character, as the `error:` line does).
    Costs one C-level `isprintable` per line when there is nothing to escape."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not line.isprintable():
            parts = _OUR_SGR.split(line)  # odd indexes are our own colour codes
            lines[index] = "".join(part if odd else one_line(part) for odd, part in _alternate(parts))
    return "\n".join(lines)


def _alternate(parts: list[str]) -> list[tuple[bool, str]]:
    """(is one of our colour codes, text) for the pieces `re.split` with a capturing group returns."""
    return [(index % 2 == 1, part) for index, part in enumerate(parts)]


def table(rows: Sequence[Sequence[str]], columns: list[str], headers: bool, colour: bool, verdict: int) -> str:
    """A kubectl-style plain table: every cell escaped to one line first (a newline or tab inside a port name or a
    detail would otherwise split a row, or forge one), then column `verdict` painted."""
    from tabulate import tabulate

    shown = []
    for row in rows:
        cells = [one_line(cell) for cell in row]
        cells[verdict] = paint(cells[verdict], colour)
        shown.append(cells)
    return str(tabulate(shown, headers=columns if headers else (), tablefmt="plain", disable_numparse=True))


def dump_structured(document: Mapping[str, Any], output: str, stream: TextIO) -> None:
    """The document as it is: JSON (2-space indent) or YAML (block style), keys in the order they were built."""
    if output == "json":
        _write_json(document, stream)
    else:
        import yaml

        stream.write(yaml.safe_dump(document, sort_keys=False, default_flow_style=False))


def _write_json(document: Mapping[str, Any], stream: TextIO, batch: int = 8192) -> None:
    """`json.dumps(document, indent=2)` and a newline, written in batches of encoder chunks: the same bytes
    without holding the whole text (350 MB for an audit of 100,000 pods, twice with the newline)."""
    chunks: list[str] = []
    for chunk in json.JSONEncoder(indent=2).iterencode(document):
        chunks.append(chunk)
        if len(chunks) >= batch:
            stream.write("".join(chunks))
            chunks.clear()
    chunks.append("\n")
    stream.write("".join(chunks))


def emit(document: Document, output: OutputOptions, stream: TextIO, text: TextView[Document]) -> None:
    """Any command's document: json/yaml as it is (exact data: JSON and YAML escape control characters in their
    own syntax), else `text(document, wide=, headers=, colour=)` made `terminal_safe`."""
    if output.format in ("json", "yaml"):
        dump_structured(document, output.format, stream)
        return
    shown = text(document, wide=output.format == "wide", headers=not output.no_headers, colour=output.colour)
    stream.write(terminal_safe(shown))


def explanation_text(document: Explanation, wide: bool = False, headers: bool = True, colour: bool = False) -> str:
    """Header block, table, advice paragraph; `headers=False` (`--no-headers`) prints the table rows only.

    Like kubectl's tables, no cell but the last column's holds a space, so `awk` and `cut` split every row
    into the same fields.
    """
    lines: list[str] = []
    if headers:
        lines += _header(document, colour)
        lines.append("")
        lines += cluster_lines(document.get("cluster", []), colour)
    columns = ["NAME", "NETWORK", "IN NB", "GC EXPECTS", "VERDICT", "REASON"]
    if wide:
        columns += ["PROVIDER", "SWITCH", "ADDRESSES", "SOURCES", "DETAIL"]
    rows: list[list[str]] = []
    for port in document["ports"]:
        row = [
            port["name"],
            port["network"] or "-",
            _yes_no(port["inNb"], port["listedByGc"]),
            "yes" if port["expectedByGc"] else "no",
            port["verdict"],
            port["reason"] or "-",
        ]
        if wide:
            row += [
                port["provider"] or "-",
                port["logicalSwitch"] or "-",
                _addresses(port["addresses"]),
                ",".join(port["sources"]) or "-",
                port["detail"] or "-",  # last: the only column with spaces (issue #10)
            ]
        rows.append(row)
    shown = table(rows, columns, headers, colour, verdict=4)
    if not headers:
        return shown + "\n" if rows else ""
    lines.append(shown if rows else "(no ports)")
    if not wide:
        lines += _detail_lines(document)
    lines.append("")
    lines += _paragraph(document)
    upgrade = document.get("upgrade")
    if upgrade is not None:  # --upgrade-to: what changes for this owner at the target
        from kubectl_ovn_lsp.cli.render_upgrade import plan_text

        lines += ["", *plan_text(upgrade, wide=True, headers=True, colour=colour)]
    return "\n".join(lines) + "\n"


def _detail_lines(document: Explanation) -> list[str]:
    """Under the table: each port's detail, unless it is the plain "present" (`-o wide` has a DETAIL column)."""
    out = []
    for port in document["ports"]:
        detail = port["detail"] or ""
        if detail and detail != "present":
            out.append(
                textwrap.fill(
                    f"  {port['name']}: {detail}",
                    width=100,
                    subsequent_indent="    ",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
    return [""] + out if out else []


def _yes_no(in_nb: bool, listed: bool) -> str:
    if in_nb and not listed:
        return "yes,hidden-from-gc"
    return "yes" if in_nb else "no"


def _addresses(addresses: list[str]) -> str:
    """NB `addresses` entries (`MAC IP…`) as one field: words joined by `,`, entries by `;`."""
    return ";".join(",".join(entry.split()) for entry in addresses if entry.strip()) or "-"


def _header(document: Explanation, colour: bool) -> list[str]:
    target = document["target"]
    owner = f" (ports named {target['portOwner']})" if target["portOwner"] != target["name"] else ""
    where = f"{target['namespace']}/{target['name']}" if target["namespace"] else target["name"]
    workload = target["kind"] in ("Pod", "VirtualMachine", "VirtualMachineInstance")
    return [  # one line each, whatever a name holds
        one_line(f"Target:    {target['kind']} {where}{owner}"),
        one_line(f"Pods:      {', '.join(target['pods']) or ('(none running)' if workload else '-')}"),
        f"Kube-OVN:  {release_text(document['kubeOvn'])}",
        f"NB:        {nb_text(document['nb'])}",
        f"Verdict:   {paint(document['verdict'], colour)}",
    ]


def release_text(kube_ovn: KubeOvn, source: bool = True) -> str:
    """The release replayed, its band, where it came from (`source`) and the flags it runs with: the one-line
    `Kube-OVN:` of every text view's header."""
    version = kube_ovn["version"] or "unknown"
    flags = (
        f"keep-vm-ip={_tf(kube_ovn['keepVmIp'])} enable-external-vpc={_tf(kube_ovn['enableExternalVpc'])} "
        f"non-primary-cni-mode={_tf(kube_ovn['nonPrimaryCniMode'])}"
    )
    behaviour_of = kube_ovn["behaviourOf"]
    shown = f"{version} (behaves as {behaviour_of})" if behaviour_of and behaviour_of != version else version
    where = f" ({SOURCE_TEXT[version_source(kube_ovn)].format(running=kube_ovn['deploymentVersion'])})"
    return one_line(f"{shown}, band {kube_ovn['band']}{where if source else ''}; {flags}")


def nb_text(nb: Nb) -> str:
    """How NB was reached: the one-line `NB:` of every text view's header."""
    reach = "raft leader" if nb["leaderOnly"] else "not known to be the raft leader"
    return one_line(f"{nb['via']} {nb['endpoint']} ({reach})")


SOURCE_TEXT = {  # how the header names where the replayed release came from (commands.documents.version_source)
    "flag": "from --kube-ovn-version; the Deployment runs {running}",
    "deployment": "from the kube-ovn-controller Deployment",
    "flags": "from the command line",
    "assumed": "ASSUMED: not detected, newest band used",
}


def _paragraph(document: Explanation) -> list[str]:
    text: list[str] = []
    gc = document["gc"]
    # A stall the cluster finding above names: GC's cycles end at its failing delete, before they log 'lsp lost'
    # or delete a port marked since (gc.go markAndCleanLSP), so what GC does for this owner waits for the stall
    stall = [c for c in document.get("cluster", []) if c["kind"] == "gc-stalled" and c["verdict"] != "ok"]
    if gc["lostLogged"] and gc["message"]:
        logs = "GC logs once the stall above is cleared" if stall else "GC logs"
        text += [f"{logs}: {line}" for line in gc["message"].split("\n")]  # one line per lost port
    blocking = {p for c in stall for p in c["ports"]}
    deletes = [n for n in gc["wouldDelete"] if n not in blocking]  # a blocker's delete fails: its detail says so
    if deletes:
        when = "GC deletes once the stall above is cleared: " if stall else "GC will delete: "
        text.append(when + ", ".join(deletes) + ".")
    text += document["advice"]
    by_release = document.get("byRelease")
    if by_release:
        text.append("By release: " + "; ".join(_range_text(r) for r in by_release) + ".")
    text += [f"Note: {n}" for n in document["notes"]]
    return wrap(text)


CLUSTER_TITLES = {
    "gc-stalled": "GC STALLED",
    "gc-delete-no-op": "GC DELETES NOTHING",
    "ip-leak": "IP CRS LEAKED",
    "duplicate-address": "DUPLICATE ADDRESSES",
}


def cluster_lines(findings: list[Cluster], colour: bool) -> list[str]:
    """Cluster findings first (audit, triage, and explain of an owner they affect): title, summary, detail lines,
    advice, then a blank line."""
    out: list[str] = []
    for finding in findings:
        title = CLUSTER_TITLES.get(finding["kind"], finding["kind"].upper())
        code = f" {finding['reason']}" if finding["reason"] else ""
        out += wrap([f"{title} ({paint(finding['verdict'], colour)}{code}): {finding['summary']}"])
        out += [
            textwrap.fill(f"  {d}", width=100, subsequent_indent="    ", break_long_words=False, break_on_hyphens=False)
            for d in finding["detail"]
        ]
        logged = finding.get("logged")
        if logged:
            out.append("  logged: " + ", ".join(f"{kind} {n}" for kind, n in logged.items()))
        out += wrap(finding["advice"])
        out.append("")
    return out


def wrap(paragraphs: list[str]) -> list[str]:
    """Each paragraph filled to 100 columns, never breaking a port name or a long word."""
    return [textwrap.fill(t, width=100, break_long_words=False, break_on_hyphens=False) for t in paragraphs if t]


def _range_text(entry: ReleaseVerdict) -> str:
    span = entry["from"] if entry["from"] == entry["to"] else f"{entry['from']}–{entry['to']}"
    reasons = f" ({', '.join(entry['reasons'])})" if entry["reasons"] else ""
    return f"{span} {entry['verdict']}{reasons}"


def _tf(value: bool) -> str:
    return "true" if value else "false"
