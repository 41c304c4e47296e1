#!/usr/bin/env python3
"""Build the krew release archive and its manifest: `python3 krew/build.py [--out DIR] [--manifest FILE]`.

What the archive holds (linux/amd64; nothing for the user to `pip install`):
  kubectl-ovn_lsp, kubectl_complete-ovn_lsp   POSIX sh launchers (krew links the first into ~/.krew/bin)
  lib/launch.py                                picks lib/cp3XX for the host's python3 and runs the plugin
  lib/common/                                  the plugin package (never the sandbox) and every pure-Python wheel
  lib/cp310 … lib/cp314/                       compiled wheels per CPython (pydantic-core, yaml, …), and the pure
                                               ones whose version differs for that CPython
  LICENSE
Why this shape (figures in the README, "Release build"): a PyInstaller binary is 34 MB compressed, starts
slower and needs the build machine's glibc (2.36 here); a single zipapp cannot import the compiled wheels from
inside the zip and would have to unpack itself on first run, which krew already does.
The one host requirement is python3 3.10–3.14: the pinned wheels exist for 3.11–3.14; for 3.10 the few projects
whose pinned release dropped it (python-dateutil 4, multidict 7) come in the newest release that supports it,
as `pip install` on that Python picks them.

Versions are pinned to those of the Python that runs the build (the ones the test suite ran with); packages
PyPI ships only as sdists (ovs) are built into wheels locally and must come out pure. Downloads are cached in
$KUBECTL_OVN_LSP_WHEEL_CACHE (default ~/.cache/kubectl-ovn-lsp/wheels), so a rebuild needs no network.
The tarball is reproducible (sorted members, fixed mtimes and owners), so its sha256 identifies the build.
"""

from __future__ import annotations

import argparse
import configparser
import gzip
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project's release location: the archive is published as RELEASE_URL/v<version>/<archive name>.
RELEASE_URL = os.environ.get(
    "KUBECTL_OVN_LSP_RELEASE_URL", "https://github.com/kubectl-ovn-lsp/kubectl-ovn-lsp/releases/download"
)
HOMEPAGE = "https://github.com/kubectl-ovn-lsp/kubectl-ovn-lsp"
PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")
PLATFORMS = {  # krew os/arch -> pip platform tags (manylinux2014 = glibc 2.17)
    "linux/amd64": ("manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_28_x86_64"),
}
# kubernetes ships an asyncio client (kubernetes/aio, 42 MB) that the plugin never imports; these projects exist
# only for it. Leaving them out takes the archive from 33 MB to about a third; the installed-archive test runs
# explain through exec and direct NB with them absent, so an import of any of them would fail that test.
ASYNC_ONLY_PROJECTS = {
    "aiohttp",
    "aiohttp-retry",
    "aiohappyeyeballs",
    "aiosignal",
    "frozenlist",
    "multidict",
    "yarl",
    "propcache",
}
SKIPPED_PATHS = ("kubernetes/aio/", "distutils-precedence.pth")
FIXED_MTIME = 315532800  # 1980-01-01: reproducible archives
SHORT_DESCRIPTION = 'Explain Kube-OVN LSPs and GC "lsp lost" log lines'
DESCRIPTION = """\
For one pod or KubeVirt VM, derives every OVN logical switch port name
exactly as Kube-OVN does, looks them up in the OVN Northbound DB (read-only,
through the ovn-central pod or a direct tcp:/ssl: connection), and explains,
for the Kube-OVN release you run, whether the controller's "lsp lost for pod …"
line is a false positive, a real loss, or whether GC will delete a port the
workload still needs. `kubectl ovn-lsp reasons` lists every verdict and code.
"""
CAVEATS = """\
Needs python3 3.10, 3.11, 3.12, 3.13 or 3.14 on PATH (or KUBECTL_OVN_LSP_PYTHON
pointing at one); everything else is in the archive. Nothing is installed
with pip and your Python's own packages are not used.

Shell completion: krew installs one executable, so run once
  kubectl ovn-lsp completion install
to put the kubectl_complete-ovn_lsp helper beside the plugin.
"""


def version() -> str:
    text = (ROOT / "kubectl_ovn_lsp" / "__init__.py").read_text()
    match = re.search(r'__version__ = "([^"]+)"', text)
    if not match:
        raise SystemExit("error: no __version__ in kubectl_ovn_lsp/__init__.py")
    return match.group(1)


def requirements() -> list[str]:
    """The plugin's runtime requirements from setup.cfg (the sandbox's are its own distribution's, never shipped)."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    return [line.strip() for line in config["options"]["install_requires"].splitlines() if line.strip()]


def pins(requirements_: list[str]) -> list[str]:
    """`name==version` for the requirement closure as installed in the Python running the build."""
    seen: dict[str, str] = {}
    todo = [(re.split(r"[<>=!~ \[;]", r, maxsplit=1)[0], False) for r in requirements_]
    while todo:
        name, conditional = todo.pop()
        key = name.lower().replace("_", "-")
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            if conditional:  # e.g. `exceptiongroup; python_version < "3.11"`: not for this Python
                continue
            raise SystemExit(f"error: {name} is not installed in {sys.executable}; pip install -e . first") from None
        seen[key] = dist.version
        for requirement in dist.requires or []:
            if "extra ==" not in requirement.replace('extra=="', 'extra == "'):
                todo.append((re.split(r"[<>=!~ \[;(]", requirement, maxsplit=1)[0], ";" in requirement))
    return sorted(f"{name}=={ver}" for name, ver in seen.items())


class PipFailed(SystemExit):
    """pip failed; `stderr` holds its whole complaint (which pinned version does not fit which Python)."""

    def __init__(self, message: str, stderr: str) -> None:
        super().__init__(message)
        self.stderr = stderr


def _pip(*args: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args], capture_output=True, text=True
    )
    if proc.returncode != 0:
        errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")] or proc.stderr.splitlines()
        raise PipFailed(f"error: pip {args[0]} failed: {' '.join(errors[-2:])}", proc.stderr)


# What pip says when a pinned version does not exist for the target Python (older CPythons lose support first:
# python-dateutil 4 and multidict 7 need 3.11): that pin is relaxed to the newest version that fits.
_UNFIT = (
    re.compile(r"Package '([^']+)' requires a different Python"),
    re.compile(r"Cannot install ([A-Za-z0-9_.-]+)==\S+ because"),
    re.compile(r"No matching distribution found for ([A-Za-z0-9_.-]+)==\S+"),
    re.compile(r"Could not find a version that satisfies the requirement ([A-Za-z0-9_.-]+)==\S+"),
)


def _unfit(stderr: str, pinned: list[str]) -> str | None:
    """The pinned project pip could not get for this Python, if its complaint names one."""
    names = {p.split("==")[0].lower().replace("_", "-") for p in pinned}
    for pattern in _UNFIT:
        for match in pattern.finditer(stderr):
            name = match.group(1).lower().replace("_", "-")
            if name in names:
                return name
    return None


def fetch_wheels(pinned: list[str], platform: str, python: str, cache: Path) -> Path:
    """Every wheel of the pinned closure for one platform and CPython, in its own cached directory. A pin that
    does not exist for this CPython (an older one: 3.10) is relaxed to the newest version pip finds for it, as
    `pip install` on that Python would choose; the other CPythons get exactly the pins."""
    for _ in range(len(pinned)):
        try:
            return _fetch_wheels(pinned, platform, python, cache)
        except PipFailed as failed:
            name = _unfit(failed.stderr, pinned)
            if name is None:
                raise
            print(f"note: {name} has no pinned version for Python {python}; the newest that fits is used")
            pinned = [p if p.split("==")[0].lower().replace("_", "-") != name else name for p in pinned]
    raise SystemExit(f"error: no set of wheels fits Python {python}")


def _fetch_wheels(pinned: list[str], platform: str, python: str, cache: Path) -> Path:
    local = cache / "local"
    local.mkdir(parents=True, exist_ok=True)
    constraints = cache / f"pins-cp{python.replace('.', '')}.txt"
    constraints.write_text("\n".join(p for p in pinned if "==" in p) + "\n")
    target = cache / f"{platform.replace('/', '-')}-cp{python.replace('.', '')}"
    target.mkdir(parents=True, exist_ok=True)
    platform_args = [arg for tag in PLATFORMS[platform] for arg in ("--platform", tag)]
    args = [
        "download",
        "-q",
        "--only-binary=:all:",
        *platform_args,
        "--python-version",
        python,
        "--implementation",
        "cp",
        "--find-links",
        str(local),
        "-c",
        str(constraints),
        "-d",
        str(target),
        *pinned,
    ]
    try:
        _pip(*args)
    except PipFailed as failed:
        if _unfit(failed.stderr, pinned):
            raise
        # some package is an sdist only: build pure wheels for those locally, then try again
        _pip("wheel", "-q", "--no-deps", "-w", str(local), *[p for p in pinned if "==" in p])
        _pip(*args)
    return target


def _is_pure(wheel: str) -> bool:
    return wheel.endswith("-none-any.whl")


def _project(wheel: str) -> str:
    return wheel.split("-", 1)[0].lower().replace("_", "-")


def unpack_wheel(wheel: Path, into: Path) -> None:
    """A wheel is a zip of site-packages; `.data/purelib|platlib` go to the root, scripts and headers nowhere."""
    if _project(wheel.name) in ASYNC_ONLY_PROJECTS:
        return
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            name = info.filename
            parts = name.split("/")
            if parts[0].endswith(".data"):
                if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                    continue
                name = "/".join(parts[2:])
            if info.is_dir() or "__pycache__" in parts or "tests" in parts[1:-1] or name.startswith(SKIPPED_PATHS):
                continue
            path = into / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(archive.read(info))


def assemble(stage: Path, wheel_dirs: dict[str, Path]) -> None:
    """Lay out the archive tree in `stage` (see the module docstring)."""
    lib = stage / "lib"
    by_python = {python: sorted(p.name for p in directory.glob("*.whl")) for python, directory in wheel_dirs.items()}
    shared = set.intersection(*({w for w in names if _is_pure(w)} for names in by_python.values()))
    first = next(iter(wheel_dirs.values()))
    for wheel in sorted(shared):
        unpack_wheel(first / wheel, lib / "common")
    for python, names in by_python.items():
        tag = "cp" + python.replace(".", "")
        (lib / tag).mkdir(parents=True, exist_ok=True)
        for wheel in names:
            if wheel not in shared:
                unpack_wheel(wheel_dirs[python] / wheel, lib / tag)
    shutil.copytree(
        ROOT / "kubectl_ovn_lsp",
        lib / "common" / "kubectl_ovn_lsp",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    shutil.copy(ROOT / "krew" / "launch.py", lib / "launch.py")
    launcher = (ROOT / "krew" / "launcher.sh").read_text()
    for name, entry in (("kubectl-ovn_lsp", "plugin"), ("kubectl_complete-ovn_lsp", "complete")):
        path = stage / name
        path.write_text(launcher.replace("@ENTRY@", entry))
        path.chmod(0o755)
    shutil.copy(ROOT / "LICENSE", stage / "LICENSE")


def write_tarball(stage: Path, target: Path) -> str:
    """A reproducible .tar.gz of `stage`; returns its sha256."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(stage.rglob("*")):
            info = tar.gettarinfo(str(path), arcname=str(path.relative_to(stage)))
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = FIXED_MTIME
            info.mode = 0o755 if (path.is_dir() or os.access(path, os.X_OK)) else 0o644
            if path.is_file():
                with open(path, "rb") as handle:
                    tar.addfile(info, handle)
            else:
                tar.addfile(info)
    with open(target, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9, filename="") as gz:
        gz.write(buffer.getvalue())
    return hashlib.sha256(target.read_bytes()).hexdigest()


def manifest(plugin_version: str, platforms: dict[str, tuple[str, str]]) -> str:
    """The krew manifest text; `platforms` maps os/arch to (archive file name, sha256)."""
    import yaml

    entries = []
    for platform, (archive, sha256) in platforms.items():
        os_name, arch = platform.split("/")
        entries.append(
            {
                "selector": {"matchLabels": {"os": os_name, "arch": arch}},
                "uri": f"{RELEASE_URL}/v{plugin_version}/{archive}",
                "sha256": sha256,
                "bin": "kubectl-ovn_lsp",
                "files": [
                    {"from": name, "to": "."}
                    for name in ("kubectl-ovn_lsp", "kubectl_complete-ovn_lsp", "lib", "LICENSE")
                ],
            }
        )
    document = {
        "apiVersion": "krew.googlecontainertools.github.com/v1alpha2",
        "kind": "Plugin",
        "metadata": {"name": "ovn-lsp"},
        "spec": {
            "version": f"v{plugin_version}",
            "homepage": HOMEPAGE,
            "shortDescription": SHORT_DESCRIPTION,
            "description": DESCRIPTION,
            "caveats": CAVEATS,
            "platforms": entries,
        },
    }

    class Dumper(yaml.SafeDumper):
        pass

    def text_block(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)

    Dumper.add_representer(str, text_block)
    header = "# Written by krew/build.py (version, uri and sha256 of the archive it built); do not edit by hand.\n"
    return header + yaml.dump(document, Dumper=Dumper, sort_keys=False, width=120, allow_unicode=True)


def build(out: Path, cache: Path, pythons: tuple[str, ...] = PYTHONS, platform: str = "linux/amd64") -> dict:
    """Build one platform's archive into `out`; returns {archive, sha256, manifest, size}."""
    plugin_version = version()
    pinned = pins(requirements())
    wheel_dirs = {python: fetch_wheels(pinned, platform, python, cache) for python in pythons}
    archive = f"kubectl-ovn-lsp-v{plugin_version}-{platform.replace('/', '-')}.tar.gz"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ovn-lsp-build-") as tmp:
        stage = Path(tmp)
        assemble(stage, wheel_dirs)
        sha256 = write_tarball(stage, out / archive)
    text = manifest(plugin_version, {platform: (archive, sha256)})
    (out / "ovn-lsp.yaml").write_text(text)
    return {
        "archive": out / archive,
        "sha256": sha256,
        "manifest": out / "ovn-lsp.yaml",
        "size": (out / archive).stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="krew/build.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "dist"), help="output directory (default: dist/)")
    parser.add_argument(
        "--cache",
        default=os.environ.get("KUBECTL_OVN_LSP_WHEEL_CACHE", os.path.expanduser("~/.cache/kubectl-ovn-lsp/wheels")),
        help="wheel cache (default: $KUBECTL_OVN_LSP_WHEEL_CACHE or ~/.cache/kubectl-ovn-lsp/wheels)",
    )
    parser.add_argument("--pythons", default=",".join(PYTHONS), help="CPython versions (default: %(default)s)")
    parser.add_argument(
        "--write-manifest", metavar="FILE", help="also write the manifest here (a release: krew/ovn-lsp.yaml)"
    )
    args = parser.parse_args(argv)
    result = build(Path(args.out), Path(args.cache), tuple(args.pythons.split(",")))
    if args.write_manifest:
        shutil.copy(result["manifest"], args.write_manifest)
    print(f"{result['archive']}  {result['size'] / 1e6:.1f} MB  sha256 {result['sha256']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
