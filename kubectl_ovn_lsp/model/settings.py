"""Controller settings: the release and the flags of the running kube-ovn-controller, read from its Deployment
(image tag, container args) with command-line overrides winning (docs/contracts.md, "Versions").

Flag values are parsed as Go's pflag does (`--flag=value`, a bare boolean flag means true, `strconv.ParseBool`), and
each release's own defaults apply (`config.go`), not install.sh's or Helm's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kubectl_ovn_lsp.model.bands import Behaviour, band_by_letter, band_of, behaviour_for
from kubectl_ovn_lsp.model.errors import UncheckedRelease
from kubectl_ovn_lsp.model.releases import resolve
from kubectl_ovn_lsp.model.versions import Version, image_tag

CONTROLLER_CONTAINER = "kube-ovn-controller"
DEFAULT_GC_INTERVAL = 360


@dataclass(frozen=True)
class ControllerSettings:
    """What the running kube-ovn-controller does: release (band) and the flags that change naming and GC."""

    version: Version | None
    version_text: str | None  # as detected or given (`v1.13.4`, `master`), None when unknown
    band: str  # "A".."L"
    keep_vm_ip: bool
    enable_external_vpc: bool
    non_primary_cni_mode: bool
    detected_from: str  # where the version came from: "deployment" | "flags" (--kube-ovn-version) | "assumed"
    gc_interval: int = DEFAULT_GC_INTERVAL
    notes: tuple[str, ...] = ()  # what was assumed, in plain words
    head: bool = False  # unreleased switches apply (branch-head build, or newer than the newest checked release)
    behaviour_of: str | None = None  # the checked release whose behaviour is used ("v1.16.2 + release-1.16 head")
    version_assumed: bool = False  # the behaviour is a stand-in: unknown version, or not a checked release
    explicit: frozenset[str] = frozenset()  # flags the command line or the Deployment decided (not defaults)

    @property
    def behaviour(self) -> Behaviour:
        if self.version is None:
            return behaviour_for(band_by_letter(self.band).first, self.head)
        return behaviour_for(self.version, self.head)


def flag_defaults(version: Version | None, head: bool = False) -> dict[str, bool]:
    """Controller flag defaults of that release (`config.go`), not install.sh/Helm values."""
    b = behaviour_for(version, head)
    return {
        "keep_vm_ip": b.keep_vm_ip_default_true,
        "enable_external_vpc": not b.ext_vpc_default_false,
        "non_primary_cni_mode": False,
    }


_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


def parse_go_bool(value: Any) -> bool | None:
    """Go's strconv.ParseBool (what pflag applies to `--flag=value`); None when not a boolean."""
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    text = str(value).strip()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def controller_flags(argv: list[str]) -> dict[str, str]:
    """Flags from a container's command+args: `--flag=value`, `-flag=value`; a bare bool flag means "true".

    pflag/Go flag never consume the next word for a boolean flag, so `--keep-vm-ip false` means true
    (the `false` is a stray positional). Non-boolean flags we read (`--gc-interval`) may take the next word.
    """
    out: dict[str, str] = {}
    valued = {"gc-interval"}
    i = 0
    while i < len(argv):
        word = str(argv[i])
        i += 1
        if not word.startswith("-") or word in ("-", "--"):
            continue
        name, eq, value = word.lstrip("-").partition("=")
        if eq:
            out[name] = value
        elif name in valued and i < len(argv):
            out[name] = str(argv[i])
            i += 1
        else:
            out[name] = "true"
    return out


def _controller_container(deployment: Mapping[str, Any]) -> Mapping[str, Any] | None:
    containers = (((deployment.get("spec") or {}).get("template") or {}).get("spec") or {}).get("containers") or []
    found: list[Mapping[str, Any]] = [c for c in containers if isinstance(c, Mapping)]
    for container in found:
        if container.get("name") == CONTROLLER_CONTAINER:
            return container
    return found[0] if found else None


def deployment_version(deployment: Mapping[str, Any] | None) -> str | None:
    """The image tag the Deployment's controller container runs (`v1.14.2`), whatever the command line overrides;
    None without a Deployment or a container."""
    container = _controller_container(deployment) if deployment else None
    return image_tag(str(container.get("image") or "")) if container is not None else None


def _version_text(container: Mapping[str, Any] | None, overrides: Mapping[str, Any]) -> tuple[str | None, str]:
    """The version string and where it came from (`detected_from` before resolution): the command line, the
    controller's image tag, or nothing ("assumed")."""
    if "version" in overrides:
        # --kube-ovn-version set the release replayed: "flags", whatever the Deployment runs (issue #18: it said
        # "deployment" when the Deployment still decided a flag); `deploymentVersion` keeps what really runs
        return str(overrides["version"]), "flags"
    if container is not None:
        return image_tag(str(container.get("image") or "")), "deployment"
    return None, "assumed"


def _flag_values(
    overrides: Mapping[str, Any], flags: Mapping[str, str], defaults: Mapping[str, bool], notes: list[str]
) -> tuple[dict[str, bool], set[str]]:
    """Each boolean flag: the command line, else the Deployment's args, else the release default; and which were
    given explicitly. A value that is not a Go boolean is noted and the default used."""
    values: dict[str, bool] = {}
    explicit: set[str] = set()
    for key, flag in (
        ("keep_vm_ip", "keep-vm-ip"),
        ("enable_external_vpc", "enable-external-vpc"),
        ("non_primary_cni_mode", "non-primary-cni-mode"),
    ):
        chosen = parse_go_bool(overrides.get(key))
        if chosen is None and flag in flags:
            chosen = parse_go_bool(flags[flag])
            if chosen is None:
                notes.append(f"--{flag}={flags[flag]} is not a boolean; using the release default")
        if chosen is not None:
            explicit.add(key)
        values[key] = defaults[key] if chosen is None else chosen
    return values, explicit


def _gc_interval(overrides: Mapping[str, Any], flags: Mapping[str, str], notes: list[str]) -> int:
    """--gc-interval in seconds (`360`, `360s`), the command line over the Deployment; else the default."""
    raw_interval = overrides.get("gc_interval", flags.get("gc-interval"))
    if raw_interval is None:
        return DEFAULT_GC_INTERVAL
    try:
        return int(str(raw_interval).rstrip("s"))
    except ValueError:
        notes.append(f"--gc-interval={raw_interval} is not a number; assuming {DEFAULT_GC_INTERVAL}")
        return DEFAULT_GC_INTERVAL


def settings_from_deployment(
    deployment: Mapping[str, Any] | None, overrides: Mapping[str, Any] | None = None
) -> ControllerSettings:
    """Version and flags from the kube-ovn-controller Deployment; each non-None override wins.

    `overrides` keys: version, keep_vm_ip, enable_external_vpc, non_primary_cni_mode, gc_interval (bools may be
    given as "true"/"false"). detected_from names where the version came from: "flags" when
    --kube-ovn-version set it (`master` is band L), "deployment" from the controller's image tag, "assumed" when
    no version is known: the newest band, with a note saying so.
    Flags a release does not have (keep-vm-ip before v1.8.3/v1.9.1, non-primary-cni-mode before v1.15) are false.
    Raises UncheckedRelease for a release older than every checked one (nothing stands in for it).
    """
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    notes: list[str] = []
    container = _controller_container(deployment) if deployment else None
    flags = (
        controller_flags(list(container.get("command") or []) + list(container.get("args") or [])) if container else {}
    )
    version_text, source = _version_text(container, overrides)
    resolved = resolve(version_text)
    if resolved.refused:
        given = "version" in overrides
        raise UncheckedRelease(
            subject=f"{version_text} is"
            if given
            else f"the kube-ovn-controller Deployment runs {version_text}, which is",
            reason=resolved.refused,
            hint="" if given else "; pass --kube-ovn-version with a checked release to replay that one instead",
        )
    version = resolved.version
    if resolved.note:
        notes.append(resolved.note)
    if version is None:
        if version_text is not None:
            notes.append(f"image tag {version_text!r} is not a release; assuming the newest band")
        else:
            notes.append("Kube-OVN version unknown; assuming the newest band")
        source = "assumed"
    band = band_of(version)
    effective = version or band.first
    head = resolved.head or version is None
    values, explicit = _flag_values(overrides, flags, flag_defaults(effective, head), notes)
    behaviour = behaviour_for(effective, head)
    for key, exists in (
        ("keep_vm_ip", behaviour.name_by_pod),
        ("non_primary_cni_mode", behaviour.non_primary_cni_flag),
    ):
        if values[key] and not exists:
            values[key] = False
            notes.append(f"--{key.replace('_', '-')} does not exist in {version_text}; treated as false")
    gc_interval = _gc_interval(overrides, flags, notes)
    return ControllerSettings(
        version=version,
        version_text=version_text,
        band=band.letter,
        keep_vm_ip=values["keep_vm_ip"],
        enable_external_vpc=values["enable_external_vpc"],
        non_primary_cni_mode=values["non_primary_cni_mode"],
        detected_from=source,
        gc_interval=gc_interval,
        notes=tuple(notes),
        head=head,
        behaviour_of=resolved.behaviour_of
        or (f"{band.first} (band {band.letter})" if version is None else str(version)),
        version_assumed=resolved.assumed or version is None,
        explicit=frozenset(explicit),
    )
