"""The house's structure (issue #19): what a newcomer relies on finding in one place stays in one place."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from kubectl_ovn_lsp.model.records import NbPort
from kubectl_ovn_lsp.model.snapshot import PortFinding, port_finding

PLUGIN = Path(__file__).resolve().parents[2] / "kubectl_ovn_lsp"


def _calls_of(name: str) -> list[tuple[str, str]]:
    """(file, enclosing function) of every call of `name` in the plugin."""
    found = []
    for path in sorted(PLUGIN.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                callee = getattr(node, "func", None)
                if isinstance(node, ast.Call) and (
                    (isinstance(callee, ast.Name) and callee.id == name)
                    or (isinstance(callee, ast.Attribute) and callee.attr == name)
                ):
                    found.append((str(path.relative_to(PLUGIN)), func.name))
    return found


def test_a_port_finding_is_built_in_one_place() -> None:
    assert _calls_of("PortFinding") == [("model/snapshot.py", "port_finding")]
    users = {file for file, _ in _calls_of("port_finding")}
    assert users == {"model/judge.py", "model/gc_nodes.py", "model/gc_vips.py", "model/orphans.py", "model/ip_crs.py"}


def test_port_finding_takes_what_nb_says_from_the_port() -> None:
    port = NbPort("a.ns", addresses=("00:00:00:00:00:01 10.0.0.5",), external_ids={"ls": "sw1"})
    common: dict[str, Any] = {
        "provider": "ovn",
        "network": "default",
        "sources": ("nb",),
        "expected_by_gc": True,
        "listed_by_gc": True,
    }
    assert port_finding("a.ns", port, ("ok", None, "present"), **common) == PortFinding(
        name="a.ns",
        provider="ovn",
        network="default",
        sources=("nb",),
        expected_by_gc=True,
        in_nb=True,
        listed_by_gc=True,
        logical_switch="sw1",
        addresses=("00:00:00:00:00:01 10.0.0.5",),
        verdict="ok",
        reason=None,
        detail="present",
        needed=False,
    )
    absent = port_finding("a.ns", None, ("lost", None, "gone"), **common, needed=True, logical_switch="annotated")
    assert (absent.in_nb, absent.addresses, absent.logical_switch, absent.needed) == (False, (), "annotated", True)
    assert port_finding("a.ns", None, ("lost", None, "gone"), **common).logical_switch is None


def test_the_model_map_names_only_modules_that_exist() -> None:
    import re

    import kubectl_ovn_lsp.model as model

    doc = model.__doc__ or ""
    named = set(re.findall(r"`(\w+)`", doc.split("Map", 1)[1]))
    modules = {p.stem for p in (PLUGIN / "model").glob("*.py")} - {"__init__"}
    assert named and named <= modules, sorted(named - modules)
