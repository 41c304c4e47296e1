"""Load sandbox scenarios: a shipped/own scenario YAML file, or a customer's dump directory.

Scenario file format (YAML, one document)::

    name: tc4
    description: "#5087: a VM on a Multus default network only"
    authoredAt: "2026-11-27T11:00:00Z"   # optional: the instant the file's times are written at; loading moves
                        # every timestamp and log stamp by (now - authoredAt), see clock.py (the outermost wins)
    include: [base]     # optional: other scenario files (a bare name is a shipped file, else a path relative to
                        # this file). Their objects come first; objects are merged by
                        # (apiVersion, kind, namespace, name), the later definition wins. logs merge by key
                        # (later wins), forbidden rules and nb.omit/nb.switches accumulate.
    objects:            # Kubernetes objects as `kubectl get -o yaml` prints them (apiVersion/kind/metadata/spec/status)
      - {...}
    logs:               # pod log text by "<ns>/<pod>" or "<ns>/<pod>/<container>"
      kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp: |
        E1127 10:06:00.123456       1 gc.go:430] lsp lost for pod vm-a.test-ns, please delete the pod and retry
    forbidden:          # optional RBAC denials (the API server answers 403); empty fields match anything
      - {verb: list, resource: virtualmachines, group: kubevirt.io, namespace: test-ns, name: ""}
    api:                # optional API server behaviour
      continueTTLSeconds: 0   # how long a list `continue` token stays valid (then 410 Expired)
      replies:          # paths answered as given, as a misbehaving aggregated API or proxy in front answers
        - {path: /apis/kubevirt.io/v1/virtualmachines, status: 200, body: '{"kind": "List", "items": {}}'}
    nb:
      derive: true      # switches from Subnets, ports from pods' <p>.kubernetes.io/allocated annotations and
                        # node-<n> ports, the way Kube-OVN creates them (see derive_nb.py). Default false.
      derive_ips: true  # also add IP CRs (kubeovn.io/v1 IP) for the derived networks; default = derive
      omit: [names]     # derived ports to leave out (simulate a loss); naming a port that is not derived is an error
      switches:         # explicit switches/ports, merged by switch name: external_ids/other_config are updated,
        - name: ovn-default     # a port replaces any derived port of the same name (in any switch)
          external_ids: {vendor: kube-ovn}
          other_config: {}
          ports:
            - {name: vm2.vmns, type: "", addresses: ["00:00:00:11:22:33 10.16.0.21"],
               external_ids: {pod: vmns/vm2, ls: ovn-default, vendor: kube-ovn}, options: {}, port_security: []}

`metadata.managedFields` is stripped. Errors are one-line `ValueError`s naming the file and the problem.

Dump directory (`load_dump_dir`): `kubectl get -o yaml|json` outputs (List documents or single objects; .yaml,
.yml, .json; multi-document YAML allowed), searched recursively; exactly one NB database in standalone format
(`ovsdb-client backup`, `kubectl ko nb backup`), recognised by a `.db` suffix or a first line starting
`OVSDB JSON`; optional `logs/<ns>_<pod>.log` or `logs/<ns>_<pod>_<container>.log`.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from ovn_lsp_sandbox import clock, derive_nb
from ovn_lsp_sandbox.nb_content import PortSpec, SwitchSpec
from ovn_lsp_sandbox.scenario import ForbiddenRule, Scenario

SHIPPED_DIR = Path(__file__).with_name("scenarios")
_TOP_KEYS = {"name", "description", "authoredAt", "include", "objects", "logs", "forbidden", "nb", "api"}
_API_KEYS = {"continueTTLSeconds", "replies"}
_NB_KEYS = {"derive", "derive_ips", "omit", "switches"}
_PORT_KEYS = {"name", "type", "addresses", "external_ids", "options", "port_security"}
_RULE_KEYS = {"verb", "resource", "group", "namespace", "name"}

try:  # libyaml is ~10x faster on big files; fall back to the pure-Python loader
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


def object_key(obj: dict) -> tuple[str, str, str, str]:
    """(apiVersion, kind, namespace, name): the identity used to merge and de-duplicate objects."""
    meta = obj.get("metadata") or {}
    return (obj.get("apiVersion", ""), obj.get("kind", ""), meta.get("namespace", "") or "", meta.get("name", ""))


def _check_object(obj: Any, where: str) -> dict:
    if not isinstance(obj, dict):
        raise ValueError(f"{where}: not a mapping")
    for key in ("apiVersion", "kind"):
        if not isinstance(obj.get(key), str) or not obj[key]:
            raise ValueError(f"{where}: missing {key}")
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or not meta.get("name"):
        raise ValueError(f"{where}: {obj['kind']} without metadata.name")
    meta.pop("managedFields", None)
    return obj


def resolve(path_or_name: str | Path, base_dir: Path | None = None) -> Path:
    """A path as given (relative to `base_dir` when set), else a shipped scenario by bare name."""
    candidates = []
    p = Path(path_or_name)
    if base_dir is not None and not p.is_absolute():
        candidates += [base_dir / p, base_dir / f"{p}.yaml"]
    candidates += [p, SHIPPED_DIR / p, SHIPPED_DIR / f"{p}.yaml"]
    for c in candidates:
        if c.is_file():
            return c
    shipped = ", ".join(n for n, _ in list_shipped())
    raise ValueError(f"scenario {str(path_or_name)!r}: no such file or shipped scenario (shipped: {shipped})")


def _yaml_problem(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"line {mark.line + 1}: {problem}" if mark is not None else str(problem)


def _load_yaml(text: str, loader: Any = None, *, every: bool = False) -> Any:
    """libyaml's loader (fast), or PyYAML's own for a document nested deeper than libyaml's 1,000 levels: objects
    may be as deep as kube-apiserver accepts (depth.py)."""
    load = yaml.load_all if every else yaml.load
    try:
        result = load(text, Loader=loader or _Loader)
        return list(result) if every else result
    except yaml.YAMLError as exc:
        if "maximum nesting depth" not in str(exc):
            raise
        result = load(text, Loader=yaml.SafeLoader)
        return list(result) if every else result


def _read_yaml(path: Path) -> dict:
    try:
        data = _load_yaml(path.read_text())
    except UnicodeDecodeError:
        raise ValueError(f"{path}: cannot read scenario: not UTF-8 text") from None
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read scenario: {_yaml_problem(exc)}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a scenario must be a mapping with objects/logs/nb")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ValueError(
            f"{path}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(_TOP_KEYS))})"
        )
    return data


def _collect(path: Path, acc: dict, stack: tuple[Path, ...]) -> dict:
    """Read `path` and its includes (depth first) into the accumulator; returns the file's own data."""
    if path.resolve() in stack:
        raise ValueError(f"{path}: include cycle ({' -> '.join(p.name for p in stack + (path,))})")
    data = _read_yaml(path)
    includes = data.get("include") or []
    if not isinstance(includes, list):
        raise ValueError(f"{path}: include must be a list of scenario names or paths")
    for inc in includes:
        try:
            inc_path = resolve(str(inc), path.parent)
        except ValueError as exc:
            raise ValueError(f"{path}: include: {exc}") from None
        _collect(inc_path, acc, stack + (path.resolve(),))
    if "authoredAt" in data:
        try:
            clock.parse(str(data["authoredAt"]))
        except ValueError:
            raise ValueError(f"{path}: authoredAt must be an RFC 3339 time, e.g. 2026-11-27T11:00:00Z") from None
        acc["authored_at"] = str(data["authoredAt"])
    objects = data.get("objects") or []
    if not isinstance(objects, list):
        raise ValueError(f"{path}: objects must be a list")
    for i, obj in enumerate(objects):
        obj = _check_object(obj, f"{path}: objects[{i}]")
        acc["objects"][object_key(obj)] = obj
    logs = data.get("logs") or {}
    if not isinstance(logs, dict):
        raise ValueError(f"{path}: logs must map '<ns>/<pod>[/<container>]' to text")
    for key, text in logs.items():
        parts = key.split("/") if isinstance(key, str) else []
        if not (len(parts) in (2, 3) or (len(parts) == 4 and parts[3] == "previous")) or not all(parts):
            raise ValueError(
                f"{path}: logs key {key!r} is not '<ns>/<pod>', '<ns>/<pod>/<container>' or "
                "'<ns>/<pod>/<container>/previous'"
            )
        acc["logs"][key] = str(text)
    for i, rule in enumerate(data.get("forbidden") or []):
        if not isinstance(rule, dict) or set(rule) - _RULE_KEYS:
            raise ValueError(f"{path}: forbidden[{i}] must be a mapping of {', '.join(sorted(_RULE_KEYS))}")
        acc["forbidden"].append(ForbiddenRule(**{k: str(v or "") for k, v in rule.items()}))
    api = data.get("api") or {}
    if not isinstance(api, dict) or set(api) - _API_KEYS:
        raise ValueError(f"{path}: api must be a mapping of {', '.join(sorted(_API_KEYS))}")
    for i, reply in enumerate(api.get("replies") or []):
        if (
            not isinstance(reply, dict)
            or not isinstance(reply.get("path"), str)
            or not isinstance(reply.get("body"), str)
        ):
            raise ValueError(f"{path}: api.replies[{i}] needs a path and a body (strings), status and contentType")
    acc.setdefault("api", {}).update(api)
    nb = data.get("nb") or {}
    if not isinstance(nb, dict) or set(nb) - _NB_KEYS:
        raise ValueError(f"{path}: nb must be a mapping of {', '.join(sorted(_NB_KEYS))}")
    for key in ("derive", "derive_ips"):
        if key in nb:
            acc[key] = bool(nb[key])
    acc["omit"] += [str(n) for n in nb.get("omit") or []]
    acc["switches"] += [_switch(s, f"{path}: nb.switches[{i}]") for i, s in enumerate(nb.get("switches") or [])]
    return data


def _str_map(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected a mapping")
    return {str(k): str(v) for k, v in value.items()}


def _switch(raw: Any, where: str) -> SwitchSpec:
    if not isinstance(raw, dict) or not raw.get("name") or set(raw) - {"name", "external_ids", "other_config", "ports"}:
        raise ValueError(f"{where}: a switch needs name and may have external_ids, other_config, ports")
    sw = SwitchSpec(
        name=str(raw["name"]),
        external_ids=_str_map(raw.get("external_ids"), f"{where}.external_ids"),
        other_config=_str_map(raw.get("other_config"), f"{where}.other_config"),
    )
    for j, p in enumerate(raw.get("ports") or []):
        pw = f"{where}.ports[{j}]"
        if not isinstance(p, dict) or not p.get("name") or set(p) - _PORT_KEYS:
            raise ValueError(f"{pw}: a port needs name and may have {', '.join(sorted(_PORT_KEYS - {'name'}))}")
        sw.ports.append(
            PortSpec(
                name=str(p["name"]),
                type=str(p.get("type") or ""),
                addresses=[str(a) for a in p.get("addresses") or []],
                external_ids=_str_map(p.get("external_ids"), f"{pw}.external_ids"),
                options=_str_map(p.get("options"), f"{pw}.options"),
                port_security=[str(a) for a in p.get("port_security") or []],
            )
        )
    return sw


def merge_switches(derived: list[SwitchSpec], explicit: list[SwitchSpec]) -> list[SwitchSpec]:
    """Explicit switches merged into derived ones by name; an explicit port replaces a derived one of that name."""
    out = {sw.name: sw for sw in derived}
    for sw in explicit:
        names = {p.name for p in sw.ports}
        for other in out.values():
            other.ports = [p for p in other.ports if p.name not in names]
        target = out.setdefault(sw.name, SwitchSpec(name=sw.name))
        target.external_ids.update(sw.external_ids)
        target.other_config.update(sw.other_config)
        target.ports.extend(sw.ports)
    return list(out.values())


def build_nb(
    objects: list[dict], derive: bool, omit: list[str], switches: list[SwitchSpec], where: str
) -> list[SwitchSpec]:
    """Derived switches (if asked) minus `omit`, merged with the explicit ones."""
    derived = derive_nb.derive_switches(objects) if derive else []
    missing = set(omit) - {p.name for sw in derived for p in sw.ports}
    if missing:
        raise ValueError(f"{where}: nb.omit names port(s) that are not derived: {', '.join(sorted(missing))}")
    for sw in derived:
        sw.ports = [p for p in sw.ports if p.name not in omit]
    return merge_switches(derived, switches)


def load_scenario(path_or_name: str | Path, now: datetime | None = None) -> Scenario:
    """Load a scenario file (or a shipped one by bare name, e.g. `tc4`) into a Scenario.

    With `authoredAt`, its times are moved to `now` (default: the clock) before anything is derived from them."""
    from ovn_lsp_sandbox.depth import allow_deep_objects

    allow_deep_objects()
    path = resolve(path_or_name)
    acc: dict[str, Any] = {"objects": {}, "logs": {}, "forbidden": [], "omit": [], "switches": []}
    data = _collect(path, acc, ())
    objects = list(acc["objects"].values())
    authored_at = acc.get("authored_at")
    shift = 0
    if authored_at is not None:
        shift = clock.move_scenario(objects, acc["logs"], authored_at, now or datetime.now(timezone.utc))
    derive = acc.get("derive", False)
    if acc.get("derive_ips", derive):
        known = set(acc["objects"])
        objects += [ip for ip in derive_nb.derive_ips(objects) if object_key(ip) not in known]
        derive_nb.sync_subnet_status(objects)
    return Scenario(
        name=str(data.get("name") or path.stem),
        description=str(data.get("description") or ""),
        objects=objects,
        logs=acc["logs"],
        forbidden=acc["forbidden"],
        api=acc.get("api", {}),
        nb_switches=build_nb(objects, derive, acc["omit"], acc["switches"], str(path)),
        authored_at=authored_at,
        clock_shift=shift,
    )


def list_shipped() -> list[tuple[str, str]]:
    """(name, description) of the scenarios shipped in the package (not include-only files like base)."""
    out = []
    natural = lambda p: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.stem)]  # noqa: E731
    for path in sorted(SHIPPED_DIR.glob("*.yaml"), key=natural):
        data = yaml.load(path.read_text(), Loader=_Loader) or {}
        if data.get("name"):
            out.append((str(data["name"]), str(data.get("description") or "")))
    return out


# ---------------------------------------------------------------- dump directories


def _is_nb_file(path: Path) -> bool:
    if path.suffix == ".db":
        return True
    with path.open("rb") as fh:
        return fh.readline(64).startswith(b"OVSDB JSON")


def _docs(path: Path) -> list[Any]:
    text = path.read_text()
    try:
        if path.suffix == ".json":
            return [json.loads(text)]
        return [d for d in _load_yaml(text, every=True) if d is not None]
    except (ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: not valid {path.suffix[1:].upper()}: {_yaml_problem(exc)}") from None


def _objects_of(doc: Any, where: str) -> list[dict]:
    if not isinstance(doc, dict):
        raise ValueError(f"{where}: expected a Kubernetes object or List, got {type(doc).__name__}")
    kind = str(doc.get("kind", ""))
    if not kind.endswith("List") or "items" not in doc:
        return [_check_object(doc, where)]
    out = []
    for i, item in enumerate(doc.get("items") or []):
        if isinstance(item, dict) and not item.get("kind") and kind != "List":
            item = {"apiVersion": doc.get("apiVersion", ""), "kind": kind[: -len("List")], **item}  # raw API lists
        out.append(_check_object(item, f"{where}: items[{i}]"))
    return out


def load_dump_dir(directory: str | Path) -> Scenario:
    """A customer's state: `kubectl get -o yaml` dumps plus a standalone NB database file (see module doc)."""
    from ovn_lsp_sandbox.depth import allow_deep_objects

    allow_deep_objects()
    root = Path(directory)
    if not root.is_dir():
        raise ValueError(f"{root}: not a directory")
    objects: dict[tuple, dict] = {}
    nb_files: list[Path] = []
    logs: dict[str, str] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root)
        if rel.parts[0] == "logs" and path.suffix == ".log":
            parts = path.stem.split("_")
            if len(parts) not in (2, 3) or not all(parts):
                raise ValueError(f"{path}: log file name must be <ns>_<pod>.log or <ns>_<pod>_<container>.log")
            logs["/".join(parts)] = path.read_text(errors="replace")
        elif _is_nb_file(path):
            with path.open("rb") as fh:
                if fh.readline(64).startswith(b"OVSDB CLUSTER"):
                    raise ValueError(
                        f"{path}: clustered NB database; convert it with 'ovsdb-tool cluster-to-standalone'"
                    )
            nb_files.append(path)
        elif path.suffix in (".yaml", ".yml", ".json"):
            for d, doc in enumerate(_docs(path)):
                for obj in _objects_of(doc, f"{path}: document {d}"):
                    objects[object_key(obj)] = obj
    if len(nb_files) != 1:
        found = ", ".join(str(p) for p in nb_files) or "none"
        raise ValueError(f"{root}: expected exactly one NB database file (*.db or 'OVSDB JSON' header), found {found}")
    if not objects:
        raise ValueError(f"{root}: no Kubernetes objects found (.yaml/.yml/.json files)")
    return Scenario(
        name=root.resolve().name,
        description=f"dump from {root}",
        objects=list(objects.values()),
        logs=logs,
        nb_database_file=nb_files[0].resolve(),
    )
