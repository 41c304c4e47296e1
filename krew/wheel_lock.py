"""The release archive's dependency lock (krew/lock/): which exact files go into the archive, per CPython.

Why a lock: the committed krew/ovn-lsp.yaml names the archive's sha256, and CI rebuilds the archive on a fresh
clone on another day. Without a lock the build took its versions from the venv running it (whatever PyPI had
newest on the day `pip install -e .` ran, and setuptools from the venv's CPython: 65.5.0 bundled with 3.11.7,
none with 3.12), relaxed the pins 3.10 cannot use to "the newest that fits" at build time, built ovs from its
sdist with the newest setuptools (its WHEEL file names the generator's version) and with its C extension when
libopenvswitch-dev happened to be installed: a new release on PyPI, or another machine, changed the sha256.

Files (pip's requirements format, read by `pip download --require-hashes`):
  krew/lock/cp310.txt … cp314.txt   `name==version --hash=sha256:…` for every wheel of that CPython (linux/amd64);
                                    pip, given the hashes, takes exactly those files and nothing published later
  krew/lock/sdists.txt              projects PyPI ships only as an sdist (ovs), hash-locked; built into pure wheels
  krew/lock/build-constraints.txt   the build backend's exact versions for those sdists (PIP_CONSTRAINT)

`python3 krew/build.py --lock` rewrites the lock from the versions installed in the Python running it (the ones
the test suite ran with), resolving from PyPI; a build reads only the lock (it needs PyPI or the cache for the
files, never for a choice).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK_DIR = ROOT / "krew" / "lock"
SDISTS = LOCK_DIR / "sdists.txt"
BUILD_CONSTRAINTS = LOCK_DIR / "build-constraints.txt"
# Projects PyPI ships only as an sdist: built locally into a pure wheel (ovs's optional C extension is refused by
# a compiler that fails, so the wheel is the same whether or not libopenvswitch-dev is installed).
SDIST_ONLY = {"ovs"}
# The build backend the sdists above are built with (`python3 krew/build.py --lock` writes it once).
BUILD_BACKEND = ("setuptools==84.2.1",)
_HEADER = "# Written by `python3 krew/build.py --lock` ({what}); do not edit by hand.\n"


@dataclass(frozen=True)
class Locked:
    """One locked file: its project (normalized), version and sha256 (hex)."""

    name: str
    version: str
    sha256: str


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_file(python: str) -> Path:
    return LOCK_DIR / f"cp{python.replace('.', '')}.txt"


def read(path: Path) -> list[Locked]:
    """The entries of one lock file (`name==version --hash=sha256:HEX` per line, # comments)."""
    entries = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)\s+--hash=sha256:([0-9a-f]{64})", line)
        if not match:
            raise SystemExit(f"error: {path.relative_to(ROOT)}: not `name==version --hash=sha256:…`: {line!r}")
        entries.append(Locked(normalize(match.group(1)), match.group(2), match.group(3)))
    return entries


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class PipFailed(SystemExit):
    """pip failed; `stderr` holds its whole complaint (which pinned version does not fit which Python)."""

    def __init__(self, message: str, stderr: str) -> None:
        super().__init__(message)
        self.stderr = stderr


def _pip(*args: str, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        env=env,
    )
    if proc.returncode != 0:
        errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")] or proc.stderr.splitlines()
        raise PipFailed(f"error: pip {args[0]} failed: {' '.join(errors[-2:])}", proc.stderr)


def _platform_args(platform_tags: tuple[str, ...], python: str) -> list[str]:
    tags = [arg for tag in platform_tags for arg in ("--platform", tag)]
    return ["--only-binary=:all:", *tags, "--python-version", python, "--implementation", "cp"]


def _build_env() -> dict[str, str]:
    """pip's environment for building an sdist: the locked backend (PIP_CONSTRAINT reaches the isolated build
    environment), and a C compiler that always fails, so optional extensions are never built."""
    env = dict(os.environ, PIP_CONSTRAINT=str(BUILD_CONSTRAINTS), CC="false", LDSHARED="false")
    env.pop("PIP_REQUIRE_HASHES", None)
    return env


def _find(directory: Path, entry: Locked) -> Path:
    """The file in `directory` that is this locked entry (same project, version and sha256)."""
    for path in sorted(directory.iterdir()):
        parts = path.name.split("-")
        if len(parts) > 1 and normalize(parts[0]) == entry.name and _sha256(path) == entry.sha256:
            return path
    raise SystemExit(f"error: pip gave no file of {entry.name}=={entry.version} with sha256 {entry.sha256}")


def sdist_wheels(cache: Path) -> list[Path]:
    """Pure wheels built from the locked sdists with the locked backend, cached per sdist and backend."""
    entries = read(SDISTS)
    if not entries:
        return []
    sdists = cache / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    backend = hashlib.sha256(BUILD_CONSTRAINTS.read_bytes()).hexdigest()[:16]
    wheels = []
    for entry in entries:
        try:
            sdist = _find(sdists, entry)
        except SystemExit:
            args = ["download", "-q", "--no-deps", "--no-binary=:all:", "--require-hashes"]
            _pip(*args, "-r", str(SDISTS), "-d", str(sdists), env=_build_env())
            sdist = _find(sdists, entry)
        out = cache / "built" / f"{entry.sha256[:16]}-{backend}"
        if not list(out.glob("*.whl")):
            shutil.rmtree(out, ignore_errors=True)
            _pip("wheel", "-q", "--no-deps", "-w", str(out), str(sdist), env=_build_env())
        built = sorted(out.glob("*.whl"))
        if len(built) != 1 or not built[0].name.endswith("-none-any.whl"):
            raise SystemExit(f"error: {sdist.name} did not build into one pure wheel: {[p.name for p in built]}")
        wheels.append(built[0])
    return wheels


def wheels(python: str, platform: str, platform_tags: tuple[str, ...], cache: Path) -> list[Path]:
    """Every locked wheel for one CPython and platform (downloaded into the cache once, checked by sha256), and
    the wheels built from the locked sdists."""
    path = lock_file(python)
    if not path.exists():
        raise SystemExit(f"error: no lock for Python {python} ({path.relative_to(ROOT)}): python3 krew/build.py --lock")
    target = cache / f"{platform.replace('/', '-')}-cp{python.replace('.', '')}"
    target.mkdir(parents=True, exist_ok=True)
    try:  # every locked file already cached: no network
        found = [_find(target, entry) for entry in read(path)]
    except SystemExit:
        args = ["download", "-q", "--no-deps", *_platform_args(platform_tags, python), "--require-hashes"]
        _pip(*args, "-r", str(path), "-d", str(target))
        found = [_find(target, entry) for entry in read(path)]
    return sorted(found + sdist_wheels(cache), key=lambda p: p.name)


# ---- writing the lock (`python3 krew/build.py --lock`): the only step that reads the venv or chooses versions


def requirements() -> list[str]:
    """The plugin's runtime requirements from setup.cfg (the sandbox's are its own distribution's, never shipped)."""
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    return [line.strip() for line in config["options"]["install_requires"].splitlines() if line.strip()]


def pins(requirements_: list[str]) -> list[str]:
    """`name==version` for the requirement closure as installed in the Python running the lock."""
    seen: dict[str, str] = {}
    todo = [(re.split(r"[<>=!~ \[;]", r, maxsplit=1)[0], False) for r in requirements_]
    while todo:
        name, conditional = todo.pop()
        key = normalize(name)
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
    names = {normalize(p.split("==")[0]) for p in pinned}
    for pattern in _UNFIT:
        for match in pattern.finditer(stderr):
            name = normalize(match.group(1))
            if name in names:
                return name
    return None


def _resolve(pinned: list[str], platform_tags: tuple[str, ...], python: str, local: Path, target: Path) -> None:
    """Download the pinned closure for one CPython into `target`; a pin that does not exist for it (3.10) is
    relaxed to the newest version pip finds, as `pip install` on that Python would choose."""
    for _ in range(len(pinned)):
        constraints = target.parent / f"pins-{target.name}.txt"
        constraints.write_text("\n".join(p for p in pinned if "==" in p) + "\n")
        args = ["download", "-q", *_platform_args(platform_tags, python), "--find-links", str(local)]
        try:
            _pip(*args, "-c", str(constraints), "-d", str(target), *pinned)
            return
        except PipFailed as failed:
            name = _unfit(failed.stderr, pinned)
            if name is None:
                raise
            print(f"note: {name} has no pinned version for Python {python}; the newest that fits is locked")
            pinned = [p if normalize(p.split("==")[0]) != name else name for p in pinned]
    raise SystemExit(f"error: no set of wheels fits Python {python}")


def write(pythons: tuple[str, ...], platform_tags: tuple[str, ...]) -> None:
    """Rewrite krew/lock/ from the venv's versions (see the module docstring)."""
    pinned = pins(requirements())
    versions = {normalize(p.split("==")[0]): p.split("==")[1] for p in pinned}
    LOCK_DIR.mkdir(exist_ok=True)
    BUILD_CONSTRAINTS.write_text(_HEADER.format(what="the sdists' build backend") + "\n".join(BUILD_BACKEND) + "\n")
    with tempfile.TemporaryDirectory(prefix="ovn-lsp-lock-") as tmp:
        work = Path(tmp)
        sdist_dir, local = work / "sdists", work / "local"
        sdist_lines = []
        for name in sorted(SDIST_ONLY & set(versions)):
            _pip("download", "-q", "--no-deps", "--no-binary=:all:", f"{name}=={versions[name]}", "-d", str(sdist_dir))
            (sdist,) = [p for p in sdist_dir.iterdir() if normalize(p.name.rsplit("-", 1)[0]) == name]
            sdist_lines.append(f"{name}=={versions[name]} --hash=sha256:{_sha256(sdist)}")
            _pip("wheel", "-q", "--no-deps", "-w", str(local), str(sdist), env=_build_env())
        SDISTS.write_text(_HEADER.format(what="sdist-only projects") + "".join(f"{line}\n" for line in sdist_lines))
        local.mkdir(exist_ok=True)
        for python in pythons:
            target = work / f"cp{python.replace('.', '')}"
            _resolve(pinned, platform_tags, python, local, target)
            lines = []
            for path in sorted(target.glob("*.whl")):
                name, version = path.name.split("-")[:2]
                if normalize(name) not in SDIST_ONLY:
                    lines.append(f"{normalize(name)}=={version} --hash=sha256:{_sha256(path)}")
            what = f"CPython {python}, wheels for {', '.join(platform_tags)}"
            lock_file(python).write_text(_HEADER.format(what=what) + "".join(f"{line}\n" for line in sorted(lines)))
            print(f"{lock_file(python).relative_to(ROOT)}: {len(lines)} wheels")
