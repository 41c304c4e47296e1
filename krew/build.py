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

Reproducible from the checkout alone: the files that go in are the ones krew/lock/ names by sha256 per CPython
(krew/wheel_lock.py says why; `python3 krew/build.py --lock` rewrites it from the venv's versions when a
dependency should move), never the venv's installed versions or PyPI's newest; ovs, an sdist on PyPI, is built
with the locked setuptools and no C compiler into a pure wheel; the plugin's files are git's tracked ones.
Downloads are cached in $KUBECTL_OVN_LSP_WHEEL_CACHE (default ~/.cache/kubectl-ovn-lsp/wheels), so a rebuild
with every locked file cached needs no network. The tarball is reproducible (sorted members, fixed mtimes, owners
and modes, gzip without name or time), so its sha256 identifies the build; what remains outside the checkout is
zlib's deflate (level 9, the same stream from every zlib 1.2.x/1.3 the distributions ship).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import zipfile
from pathlib import Path

import wheel_lock

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


def package_files() -> list[str]:
    """The plugin package's files, relative to the checkout: git's tracked files when this is a git checkout (a
    stray file in the working tree is not part of the build), else every file but bytecode."""
    proc = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--", "kubectl_ovn_lsp"], capture_output=True, text=True
    )
    if proc.returncode == 0 and proc.stdout:
        return sorted(name for name in proc.stdout.split("\0") if name and (ROOT / name).is_file())
    return sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "kubectl_ovn_lsp").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def assemble(stage: Path, wheels: dict[str, list[Path]]) -> None:
    """Lay out the archive tree in `stage` (see the module docstring); `wheels` maps a CPython to its files."""
    lib = stage / "lib"
    by_python = {python: {p.name: p for p in paths} for python, paths in wheels.items()}
    shared = set.intersection(*({w for w in names if _is_pure(w)} for names in by_python.values()))
    first = next(iter(by_python.values()))
    for wheel in sorted(shared):
        unpack_wheel(first[wheel], lib / "common")
    for python, names in by_python.items():
        tag = "cp" + python.replace(".", "")
        (lib / tag).mkdir(parents=True, exist_ok=True)
        for wheel in sorted(names):
            if wheel not in shared:
                unpack_wheel(names[wheel], lib / tag)
    for name in package_files():
        path = lib / "common" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, path)
        if os.access(ROOT / name, os.X_OK):
            path.chmod(0o755)
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
    wheels = {python: wheel_lock.wheels(python, platform, PLATFORMS[platform], cache) for python in pythons}
    archive = f"kubectl-ovn-lsp-v{plugin_version}-{platform.replace('/', '-')}.tar.gz"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ovn-lsp-build-") as tmp:
        stage = Path(tmp)
        assemble(stage, wheels)
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
    parser.add_argument(
        "--lock",
        action="store_true",
        help="rewrite krew/lock/ from the versions installed in this Python (resolving from PyPI), then build",
    )
    args = parser.parse_args(argv)
    if args.lock:
        wheel_lock.write(tuple(args.pythons.split(",")), PLATFORMS["linux/amd64"])
    result = build(Path(args.out), Path(args.cache), tuple(args.pythons.split(",")))
    if args.write_manifest:
        shutil.copy(result["manifest"], args.write_manifest)
    print(f"{result['archive']}  {result['size'] / 1e6:.1f} MB  sha256 {result['sha256']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
