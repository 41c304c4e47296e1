"""What `pip install .` and `pip install '.[sandbox]'` install (issue #19 item 6): the plugin's wheel holds the
plugin alone, and its `sandbox` extra names the sandbox's own distribution (./sandbox), whose wheel holds every file
of `ovn_lsp_sandbox/` (scenarios included) and the sandbox's two executables. Wheels are built from this checkout
as pip builds them (its build isolation fetches setuptools)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


# What the two builds read. They run on a copy: setuptools builds in the source tree, and a `build/` directory left
# at the checkout's root would read to ruff's import sorting as a first-party module named `build`.
SOURCES = ("setup.py", "setup.cfg", "pyproject.toml", "README.md", "sandbox/pyproject.toml")
PACKAGES = ("kubectl_ovn_lsp", "ovn_lsp_sandbox")


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("checkout")
    for name in SOURCES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, root / name)
    for package in PACKAGES:
        shutil.copytree(REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory, copy: Path) -> dict[str, zipfile.ZipFile]:
    out = tmp_path_factory.mktemp("wheels")
    for project in (copy, copy / "sandbox"):
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), "."],
            cwd=project,
            check=True,
            capture_output=True,
            env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"),
        )
    found = {p.name.split("-0")[0]: zipfile.ZipFile(p) for p in out.glob("*.whl")}
    assert set(found) == {"kubectl_ovn_lsp", "kubectl_ovn_lsp_sandbox"}, found
    return found


def _text(wheel: zipfile.ZipFile, suffix: str) -> str:
    return wheel.read(next(n for n in wheel.namelist() if n.endswith(suffix))).decode()


def test_the_plugin_wheel_holds_the_plugin_alone(wheels: dict[str, zipfile.ZipFile], copy: Path) -> None:
    plugin = wheels["kubectl_ovn_lsp"]
    tops = {n.split("/", 1)[0] for n in plugin.namelist()}
    assert tops == {"kubectl_ovn_lsp", "kubectl_ovn_lsp-0.1.0.dist-info"}, tops
    scripts = _text(plugin, ".dist-info/entry_points.txt")
    assert "kubectl-ovn_lsp = kubectl_ovn_lsp.cli.entry:main" in scripts and "sandbox" not in scripts
    metadata = _text(plugin, ".dist-info/METADATA")
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    sandbox = [r for r in requires if "kubectl-ovn-lsp-sandbox" in r]
    assert len(sandbox) == 1 and sandbox[0].endswith('extra == "sandbox"'), requires
    assert f"@ {(copy / 'sandbox').as_uri()}" in sandbox[0]  # the checkout's own ./sandbox, by absolute path
    assert not any(r.startswith("Requires-Dist: aiohttp") for r in requires)  # only the sandbox's, not the plugin's


def test_the_sandbox_wheel_holds_every_sandbox_file(wheels: dict[str, zipfile.ZipFile]) -> None:
    sandbox = wheels["kubectl_ovn_lsp_sandbox"]
    packaged = {n for n in sandbox.namelist() if n.startswith("ovn_lsp_sandbox/")}
    source = {
        str(p.relative_to(REPO))
        for p in (REPO / "ovn_lsp_sandbox").rglob("*")
        if p.suffix in (".py", ".yaml") and "__pycache__" not in p.parts
    }
    assert packaged == source and any(n.startswith("ovn_lsp_sandbox/scenarios/") for n in packaged)
    scripts = _text(sandbox, ".dist-info/entry_points.txt")
    assert "kubectl-ovn_lsp-sandbox = ovn_lsp_sandbox.cli:main" in scripts
    assert "kubectl_complete-ovn_lsp-sandbox = ovn_lsp_sandbox.complete:main" in scripts
    metadata = _text(sandbox, ".dist-info/METADATA")
    assert "Requires-Dist: kubectl-ovn-lsp" in metadata and "Requires-Dist: aiohttp>=3.9" in metadata
