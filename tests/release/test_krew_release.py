"""The krew release: build the archive (once per session), check the manifest by krew's own rules, install it
the way krew does and run the plugin from that install with a Python that has none of its dependencies.

krew's rules: kubernetes-sigs/krew internal/index/validation/validate.go (ValidatePlugin, validatePlatform,
validateFiles, validateSelector) and internal/installation/semver; krew-index's review rules add a one-line
shortDescription of at most 50 characters and a LICENSE file extracted with the plugin. The install follows
internal/installation/move.go (a `from` that exists is moved as one path, `to: .` keeps its name; otherwise a
glob whose matches land in `to`) and links `bin` as kubectl-<name with _ for -> into the bin directory.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from tests.sandboxes import Sandbox

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "krew"))
import build  # noqa: E402  (krew/build.py, the release script under test)
import wheel_lock  # noqa: E402  (krew/wheel_lock.py, the files the archive takes)

SEMVER = re.compile(r"^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")
WINDOWS_FORBIDDEN = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One build per test session (about 30 s with the wheel cache warm). CI builds on a fresh clone on another
    day, so the build must not read this venv's installed versions (PyPI's newest on the day it was installed):
    any lookup of an installed distribution fails the build here."""
    out = tmp_path_factory.mktemp("release")
    cache = Path(os.environ.get("KUBECTL_OVN_LSP_WHEEL_CACHE", Path.home() / ".cache/kubectl-ovn-lsp/wheels"))

    def no_venv(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the build read an installed distribution {args}: it must read krew/lock/ only")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wheel_lock.metadata, "distribution", no_venv)
        patch.setattr(wheel_lock.metadata, "version", no_venv)
        return build.build(out, cache)


def test_lock_covers_every_runtime_requirement_for_every_python() -> None:
    """A requirement added to setup.cfg (or a bound raised) without `python3 krew/build.py --lock` would ship an
    archive without it, or with a version the plugin no longer accepts."""
    from packaging.requirements import Requirement

    sdists = {e.name: e.version for e in wheel_lock.read(wheel_lock.SDISTS)}
    assert set(sdists) == wheel_lock.SDIST_ONLY
    for python in build.PYTHONS:
        locked = {e.name: e.version for e in wheel_lock.read(wheel_lock.lock_file(python))}
        assert not set(locked) & set(sdists), python
        locked |= sdists
        assert len(locked) == len(wheel_lock.read(wheel_lock.lock_file(python))) + len(sdists), "a project twice"
        for line in wheel_lock.requirements():
            requirement = Requirement(line)
            name = wheel_lock.normalize(requirement.name)
            assert name in locked, f"{name} is not locked for Python {python}: python3 krew/build.py --lock"
            assert requirement.specifier.contains(locked[name], prereleases=True), (python, line, locked[name])
    assert {e.name for e in wheel_lock.read(wheel_lock.lock_file("3.10"))} >= {"kubernetes", "ovsdbapp", "tabulate"}


def krew_violations(name: str, plugin: dict) -> list[str]:
    """Every rule of krew's ValidatePlugin (plus krew-index's description length) this manifest breaks."""
    problems = []
    spec = plugin.get("spec") or {}
    if plugin.get("apiVersion") != "krew.googlecontainertools.github.com/v1alpha2":
        problems.append("apiVersion")
    if plugin.get("kind") != "Plugin":
        problems.append("kind")
    if not re.fullmatch(r"[\w-]+", name) or name.upper() in WINDOWS_FORBIDDEN:
        problems.append("unsafe name")
    if (plugin.get("metadata") or {}).get("name") != name:
        problems.append("metadata.name differs from the file name")
    short = spec.get("shortDescription") or ""
    if not short or "\n" in short or "\r" in short or len(short) > 50:
        problems.append(f"shortDescription {short!r}")
    if not SEMVER.match(spec.get("version") or ""):
        problems.append("version is not v-prefixed semver")
    if not spec.get("platforms"):
        problems.append("no platforms")
    for platform in spec.get("platforms") or []:
        if not platform.get("uri"):
            problems.append("uri")
        if not re.fullmatch(r"[a-f0-9]{64}", platform.get("sha256") or ""):
            problems.append("sha256")
        if not platform.get("bin"):
            problems.append("bin")
        files = platform.get("files")
        if files is not None and (not files or any(not f.get("from") or not f.get("to") for f in files)):
            problems.append("files")
        for entry in files or []:
            if entry.get("to") and os.path.normpath(entry["to"]) != entry["to"]:
                problems.append(f"files.to {entry['to']!r} is not a clean path")
        selector = platform.get("selector")
        if not selector or (selector.get("matchLabels") is None and not selector.get("matchExpressions")):
            problems.append("empty selector")
        else:
            keys = list(selector.get("matchLabels") or {})
            keys += [e.get("key") for e in selector.get("matchExpressions") or []]
            if any(k not in ("os", "arch") for k in keys):
                problems.append(f"selector keys {keys}")
            if "matchLabels" in selector and not selector["matchLabels"]:
                problems.append("matchLabels specified but empty")
            if "matchExpressions" in selector and not selector["matchExpressions"]:
                problems.append("matchExpressions specified but empty")
    return problems


def test_krew_rules_reject_what_they_should() -> None:
    good = yaml.safe_load(build.manifest("1.2.3", {"linux/amd64": ("a.tar.gz", "a" * 64)}))
    assert krew_violations("ovn-lsp", good) == []
    bad = yaml.safe_load(build.manifest("1.2", {"linux/amd64": ("a.tar.gz", "0" * 63)}))
    bad["spec"]["shortDescription"] = "x" * 51
    bad["spec"]["platforms"][0]["selector"] = {"matchLabels": {"os": "linux", "distro": "debian"}}
    assert set(krew_violations("other", bad)) == {
        "metadata.name differs from the file name",
        f"shortDescription {'x' * 51!r}",
        "version is not v-prefixed semver",
        "sha256",
        "selector keys ['os', 'distro']",
    }


def test_built_and_committed_manifests_follow_krew_rules(release: dict) -> None:
    from kubectl_ovn_lsp import __version__

    built = yaml.safe_load(release["manifest"].read_text())
    assert krew_violations("ovn-lsp", built) == []
    platform = built["spec"]["platforms"][0]
    assert platform["sha256"] == hashlib.sha256(release["archive"].read_bytes()).hexdigest() == release["sha256"]
    assert platform["uri"] == f"{build.RELEASE_URL}/v{__version__}/{release['archive'].name}"
    assert platform["selector"] == {"matchLabels": {"os": "linux", "arch": "amd64"}}
    assert built["spec"]["version"] == f"v{__version__}"
    committed_path = ROOT / "krew" / "ovn-lsp.yaml"
    committed = yaml.safe_load(committed_path.read_text())
    assert krew_violations(committed_path.stem, committed) == []
    for key in ("version", "shortDescription", "description", "caveats", "homepage"):
        assert committed["spec"][key] == built["spec"][key], (
            f"krew/ovn-lsp.yaml is stale ({key}): python3 krew/build.py --write-manifest krew/ovn-lsp.yaml"
        )
    # #18: the same version's manifest named another archive's sha256; krew refuses an archive whose sha256
    # differs, so the committed manifest must be what this checkout builds (the build is reproducible)
    assert committed["spec"]["platforms"] == built["spec"]["platforms"], (
        "krew/ovn-lsp.yaml does not match this checkout's archive (sha256): "
        "python3 krew/build.py --write-manifest krew/ovn-lsp.yaml"
    )


def test_readme_recipe_installs_what_the_build_writes(release: dict) -> None:
    """#18: a documented way to install a local build with krew; the recipe's files are the ones the build writes
    (a version bump or a renamed archive would leave a recipe krew refuses)."""
    readme = (ROOT / "README.md").read_text()
    build_line = re.search(r"python3 krew/build\.py --out (\S+)", readme)
    recipe = re.search(r"kubectl krew install --manifest=(\S+) --archive=(\S+)", readme)
    assert build_line and recipe, "README: the krew recipe for a local build is gone"
    out = build_line.group(1)
    assert recipe.group(1) == f"{out}/{release['manifest'].name}"
    assert recipe.group(2) == f"{out}/{release['archive'].name}"


def test_archive_holds_plugin_helper_and_license_but_no_sandbox(release: dict) -> None:
    with tarfile.open(release["archive"]) as tar:
        names = tar.getnames()
        modes = {m.name: m.mode for m in tar.getmembers()}
        license_text = tar.extractfile("LICENSE").read().decode()
    assert "Apache License" in license_text and "Version 2.0, January 2004" in license_text
    assert (ROOT / "LICENSE").read_text() == license_text
    assert modes["kubectl-ovn_lsp"] & 0o111 and modes["kubectl_complete-ovn_lsp"] & 0o111
    assert "lib/common/kubectl_ovn_lsp/cli/main.py" in names and "lib/launch.py" in names
    assert not [n for n in names if "ovn_lsp_sandbox" in n or "/tests/" in n or "__pycache__" in n]
    assert {n.split("/")[1] for n in names if n.startswith("lib/cp")} == {"cp310", "cp311", "cp312", "cp313", "cp314"}
    assert any(n.startswith("lib/cp310/pydantic_core/") and n.endswith(".so") for n in names)
    assert any(n.startswith("lib/cp311/pydantic_core/") and n.endswith(".so") for n in names)
    manifest = yaml.safe_load(release["manifest"].read_text())
    tops = {n.split("/")[0] for n in names}
    assert {f["from"] for f in manifest["spec"]["platforms"][0]["files"]} == tops


def _krew_install(archive: Path, manifest: dict, root: Path) -> Path:
    """Unpack, check sha256, move `files` as krew's move.go does, link `bin` into root/bin; returns root/bin."""
    platform = manifest["spec"]["platforms"][0]
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == platform["sha256"]
    unpacked, install = root / "download", root / "store" / manifest["metadata"]["name"] / manifest["spec"]["version"]
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="tar")
    install.mkdir(parents=True)
    for entry in platform["files"]:
        source = unpacked / entry["from"]
        if source.exists():
            target = install / (source.name if entry["to"] == "." else entry["to"])
            shutil.move(str(source), str(target))
        else:
            matches = sorted(unpacked.glob(entry["from"]))
            assert matches, entry
            for match in matches:
                (install / entry["to"]).mkdir(parents=True, exist_ok=True)
                shutil.move(str(match), str(install / entry["to"] / match.name))
    bin_dir = root / "bin"
    bin_dir.mkdir()
    link = bin_dir / ("kubectl-" + manifest["metadata"]["name"].replace("-", "_"))
    link.symlink_to(install / platform["bin"])
    return bin_dir


@pytest.fixture(scope="module")
def krew_install(release: dict, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The archive installed as krew would, and an environment whose python3 has no packages at all."""
    root = tmp_path_factory.mktemp("krew-root")
    bin_dir = _krew_install(release["archive"], yaml.safe_load(release["manifest"].read_text()), root)
    bare = root / "bare-python"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    kubectl_dir = os.path.dirname(shutil.which("kubectl") or "/usr/bin/kubectl")
    path = os.pathsep.join([str(bin_dir), str(bare / "bin"), kubectl_dir, "/usr/bin", "/bin"])
    return {"PATH": path, "bin": str(bin_dir), "python": str(bare / "bin" / "python3")}


def test_bare_python_really_lacks_the_dependencies(krew_install: dict) -> None:
    proc = subprocess.run([krew_install["python"], "-c", "import yaml"], capture_output=True)
    assert proc.returncode != 0


def test_explain_runs_from_the_krew_install(tc4: Sandbox, krew_install: dict) -> None:
    env = tc4.env(PATH=krew_install["PATH"])
    assert shutil.which("kubectl-ovn_lsp", path=env["PATH"]) == os.path.join(krew_install["bin"], "kubectl-ovn_lsp")
    proc = subprocess.run(
        ["kubectl", "ovn-lsp", "explain", "vm-a", "-n", "test-ns"], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 4, proc.stderr
    assert "false-positive" in proc.stdout and "FP1" in proc.stdout and proc.stderr == ""
    proc = subprocess.run(
        ["kubectl", "ovn-lsp", "explain", "vm-a", "-n", "test-ns", "-o", "json", "--nb", tc4.nb_remotes],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 4, proc.stderr  # the direct NB path from the archive too


def test_completion_install_gives_krew_users_completion(tc4: Sandbox, krew_install: dict) -> None:
    env = tc4.env(PATH=krew_install["PATH"])
    proc = subprocess.run(["kubectl", "ovn-lsp", "completion", "install"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    helper = Path(krew_install["bin"]) / "kubectl_complete-ovn_lsp"
    assert f"wrote {helper}" in proc.stdout and os.access(helper, os.X_OK)
    proc = subprocess.run(
        ["kubectl", "__complete", "ovn-lsp", "explain", "-n", "test-ns", ""], capture_output=True, text=True, env=env
    )
    assert proc.stdout.splitlines() == ["vm-a", "virt-launcher-vm-a-7xk2p", "node/node1", "node/node2", ":4"]


def test_launcher_follows_relative_symlinks_without_readlink_f(tmp_path: Path, krew_install: dict) -> None:
    """krew links absolutely; users and other managers link relatively, through several hops."""
    real = os.path.realpath(Path(krew_install["bin"]) / "kubectl-ovn_lsp")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "hop").symlink_to(os.path.relpath(real, tmp_path / "a"))
    (tmp_path / "kubectl-ovn_lsp").symlink_to("a/hop")
    code = [line for line in Path(real).read_text().splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in code if "readlink -f" in line]
    proc = subprocess.run(
        [str(tmp_path / "kubectl-ovn_lsp"), "version"],
        capture_output=True,
        text=True,
        env={"PATH": krew_install["PATH"]},
    )
    assert proc.returncode == 0 and proc.stdout.startswith("kubectl ovn-lsp v"), proc.stderr


def test_too_old_python_is_one_error_line(tmp_path: Path, krew_install: dict) -> None:
    fake = tmp_path / "python3"
    fake.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    fake.chmod(0o755)
    lib = Path(os.path.realpath(Path(krew_install["bin"]) / "kubectl-ovn_lsp")).parent / "lib"
    hidden = lib / f"cp{sys.version_info[0]}{sys.version_info[1]}"
    hidden.rename(hidden.with_name("hidden"))
    try:
        proc = subprocess.run(
            [str(Path(krew_install["bin"]) / "kubectl-ovn_lsp"), "version"],
            capture_output=True,
            text=True,
            env={"PATH": krew_install["PATH"]},
        )
    finally:
        hidden.with_name("hidden").rename(hidden)
    assert proc.returncode == 1 and proc.stdout == ""
    others = ", ".join(f"3.{m}" for m in range(10, 15) if m != sys.version_info[1])
    assert proc.stderr.startswith(f"error: this kubectl ovn-lsp build runs on Python {others}, but ")
    assert proc.stderr.count("\n") == 1


def _python_3_10() -> str:
    """A CPython 3.10 (Ubuntu 22.04's): $KUBECTL_OVN_LSP_TEST_PYTHON310, `python3.10` on PATH, or pyenv's."""
    import glob

    found = [os.environ.get("KUBECTL_OVN_LSP_TEST_PYTHON310") or "", shutil.which("python3.10") or ""]
    found += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.10*/bin/python3.10")))
    for candidate in filter(None, found):
        proc = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True)
        if proc.returncode == 0 and proc.stdout.strip() == b"(3, 10)":
            return candidate
    raise AssertionError("no CPython 3.10 to run the archive with: set KUBECTL_OVN_LSP_TEST_PYTHON310")


def test_the_archive_runs_on_python_3_10(tc4: Sandbox, krew_install: dict, tmp_path: Path) -> None:
    """#18: the archive refused Python 3.10 (Ubuntu 22.04) while pip works there. A 3.10 with no packages at all
    runs explain through exec and through the direct NB path, and the upgrade preflight."""
    bare = tmp_path / "bare-3.10"
    subprocess.run([_python_3_10(), "-m", "venv", "--without-pip", str(bare)], check=True)
    env = tc4.env(PATH=krew_install["PATH"], KUBECTL_OVN_LSP_PYTHON=str(bare / "bin" / "python3"))
    version = subprocess.run([str(bare / "bin" / "python3"), "-c", "import yaml"], capture_output=True)
    assert version.returncode != 0  # nothing but the standard library
    for extra in ([], ["--nb", tc4.nb_remotes]):
        proc = subprocess.run(
            ["kubectl", "ovn-lsp", "explain", "vm-a", "-n", "test-ns", "-o", "json", *extra],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert proc.returncode == 4 and '"reason": "FP1"' in proc.stdout, proc.stderr
    proc = subprocess.run(
        ["kubectl", "ovn-lsp", "audit", "-A", "--upgrade-to", "v1.14.0"], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0 and "false-positive(FP1)" in proc.stdout, proc.stderr  # FP1 is fixed in v1.14.0
