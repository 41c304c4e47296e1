"""Rendering of command documents: JSON/YAML for scripts, a header + table + paragraph for people.

Verdicts are always words; colour only emphasises them and follows `--color` and NO_COLOR.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from typing import Any, TextIO



def use_colour(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def paint(word: str, enabled: bool) -> str:
    from kubectl_ovn_lsp.model.verdicts import BY_NAME

    found = BY_NAME.get(word)
    code = found.colour if found else None
    return f"\033[{code}m{word}\033[0m" if enabled and code else word


def dump_structured(document: Any, output: str, stream: TextIO) -> None:
    if output == "json":
        stream.write(json.dumps(document, indent=2) + "\n")
    else:
        import yaml

        stream.write(yaml.safe_dump(document, sort_keys=False, default_flow_style=False))


def emit_explanation(document: dict[str, Any], args: argparse.Namespace, stream: TextIO = sys.stdout) -> None:
    if args.output in ("json", "yaml"):
        dump_structured(document, args.output, stream)
        return
    colour = use_colour(args.color, stream)
    stream.write(explanation_text(document, wide=args.output == "wide", headers=not args.no_headers, colour=colour))


def explanation_text(document: dict[str, Any], wide: bool = False, headers: bool = True, colour: bool = False) -> str:
    """Header block, table, advice paragraph; `headers=False` (`--no-headers`) prints the table rows only.

    Like kubectl's tables, no cell but the last column's holds a space, so `awk` and `cut` split every row
    into the same fields.
    """
    from tabulate import tabulate

    lines: list[str] = []
    if headers:
        lines += _header(document, colour)
        lines.append("")
    columns = ["NAME", "NETWORK", "IN NB", "GC EXPECTS", "VERDICT", "REASON"]
    if wide:
        columns += ["PROVIDER", "SWITCH", "ADDRESSES", "SOURCES"]
    rows = []
    for port in document["ports"]:
        row = [
            port["name"],
            port["network"] or "-",
            _yes_no(port["inNb"], port["listedByGc"]),
            "yes" if port["expectedByGc"] else "no",
            paint(port["verdict"], colour),
            port["reason"] or "-",
        ]
        if wide:
            row += [
                port["provider"] or "-",
                port["logicalSwitch"] or "-",
                _addresses(port["addresses"]),
                ",".join(port["sources"]) or "-",
            ]
        rows.append(row)
    table = tabulate(rows, headers=columns if headers else (), tablefmt="plain", disable_numparse=True)
    if not headers:
        return table + "\n" if rows else ""
    lines.append(table if rows else "(no ports)")
    lines.append("")
    lines += _paragraph(document)
    return "\n".join(lines) + "\n"


def _yes_no(in_nb: bool, listed: bool) -> str:
    if in_nb and not listed:
        return "yes,hidden-from-gc"
    return "yes" if in_nb else "no"


def _addresses(addresses: list[str]) -> str:
    """NB `addresses` entries (`MAC IP…`) as one field: words joined by `,`, entries by `;`."""
    return ";".join(",".join(entry.split()) for entry in addresses if entry.strip()) or "-"


def _header(document: dict[str, Any], colour: bool) -> list[str]:
    target, kube_ovn, nb = document["target"], document["kubeOvn"], document["nb"]
    owner = f" (ports named {target['portOwner']})" if target["portOwner"] != target["name"] else ""
    version = kube_ovn["version"] or "unknown"
    running = kube_ovn.get("deploymentVersion")
    source = {
        "deployment": f"from --kube-ovn-version; the Deployment runs {running}" if running and running != version
        else "from the kube-ovn-controller Deployment",
        "flags": "from the command line",
        "assumed": "ASSUMED: not detected, newest band used",
    }.get(kube_ovn["detectedFrom"], kube_ovn["detectedFrom"])
    flags = (
        f"keep-vm-ip={_tf(kube_ovn['keepVmIp'])} enable-external-vpc={_tf(kube_ovn['enableExternalVpc'])} "
        f"non-primary-cni-mode={_tf(kube_ovn['nonPrimaryCniMode'])}"
    )
    reach = "raft leader" if nb["leaderOnly"] else "not known to be the raft leader"
    return [
        f"Target:    {target['kind']} {target['namespace']}/{target['name']}{owner}",
        f"Pods:      {', '.join(target['pods']) or '(none running)'}",
        f"Kube-OVN:  {version}, band {kube_ovn['band']} ({source}); {flags}",
        f"NB:        {nb['via']} {nb['endpoint']} ({reach})",
        f"Verdict:   {paint(document['verdict'], colour)}",
    ]


def _paragraph(document: dict[str, Any]) -> list[str]:
    text = []
    gc = document["gc"]
    if gc.get("lostLogged") and gc.get("message"):
        text += [f"GC logs: {line}" for line in gc["message"].splitlines()]
    if gc.get("wouldDelete"):
        text.append("GC will delete: " + ", ".join(gc["wouldDelete"]) + ".")
    text += list(document.get("advice") or [])
    text += [f"Note: {n}" for n in document.get("notes") or []]
    return [textwrap.fill(t, width=100, break_long_words=False, break_on_hyphens=False) for t in text if t]


def _tf(value: bool) -> str:
    return "true" if value else "false"
