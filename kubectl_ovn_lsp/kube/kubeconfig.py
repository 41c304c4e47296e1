"""Which kubeconfig files a command reads, merged as kubectl merges them, with errors that name the file.

kubectl's rules (client-go `clientcmd` loading rules): `--kubeconfig FILE` is the only file and must exist;
else every file of `$KUBECONFIG` (a path list; missing files are skipped) is merged, the first file to define
a cluster, context or user by name wins, and `current-context` comes from the first file that sets it; else
`~/.kube/config`. The merge is ours: the kubernetes package's `KubeConfigMerger` lets the *last* file set
`current-context`, fails with a bare `KeyError`/YAML traceback on a malformed file, parses each file with the
pure-Python YAML loader, deep-copies it twice and merges names in quadratic time (a 4 MB kubeconfig of 3,000
contexts took ~17 s). Here each file is parsed once (libyaml's loader when PyYAML has it), checked, and merged
by name in one pass into the `ConfigNode` tree the kubernetes `KubeConfigLoader` reads (each entry keeps its
file, for relative certificate paths).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from kubectl_ovn_lsp.kube.errors import KubeConfigError

DEFAULT_PATH = "~/.kube/config"
_NAMED_LISTS = ("clusters", "contexts", "users")


@dataclass(frozen=True)
class KubeconfigFiles:
    """The files to merge, in order, and where the list came from (for messages)."""

    paths: tuple[str, ...]
    source: str  # "--kubeconfig", "$KUBECONFIG", "~/.kube/config" or "in-cluster"


def locate(explicit: str | None, environ: dict[str, str] | None = None) -> KubeconfigFiles:
    """The files a command reads; `in-cluster` (no files) only when nothing else exists and a service host is
    set. Raises KubeConfigError naming the missing file or list."""
    env = os.environ if environ is None else environ
    if explicit:
        path = os.path.expanduser(explicit)
        if not os.path.exists(path):
            raise KubeConfigError(reason=f"{_q(explicit)}: no such file (--kubeconfig)")
        return KubeconfigFiles((path,), "--kubeconfig")
    listed = env.get("KUBECONFIG", "")
    if listed:
        entries = [os.path.expanduser(p) for p in listed.split(os.pathsep) if p]
        existing = tuple(dict.fromkeys(p for p in entries if os.path.exists(p)))
        if not existing:
            raise KubeConfigError(reason=f"none of the files in $KUBECONFIG exist ({_q(listed)})")
        return KubeconfigFiles(existing, "$KUBECONFIG")
    default = os.path.expanduser(DEFAULT_PATH)
    if os.path.exists(default):
        return KubeconfigFiles((default,), DEFAULT_PATH)
    if env.get("KUBERNETES_SERVICE_HOST"):
        return KubeconfigFiles((), "in-cluster")
    raise KubeConfigError(
        reason=f"no kubeconfig: {DEFAULT_PATH} does not exist and $KUBECONFIG is not set (use --kubeconfig FILE)"
    )


def read_file(path: str) -> dict[str, Any]:
    """One kubeconfig file as a mapping; every structural problem is a KubeConfigError naming the file."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10× faster on a large file
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader, C or Python
    except OSError as exc:
        raise KubeConfigError(reason=f"{_q(path)}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise KubeConfigError(reason=f"{_q(path)} is not valid YAML{where}: {_one_line(str(problem))}") from None
    except UnicodeDecodeError:
        raise KubeConfigError(reason=f"{_q(path)} is not UTF-8 text") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KubeConfigError(reason=f"{_q(path)}: expected a mapping (kind: Config), got {_type(data)}")
    for key in _NAMED_LISTS:
        items = data.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise KubeConfigError(reason=f"{_q(path)}: {key} must be a list, got {_type(items)}")
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item.get("name"):
                raise KubeConfigError(reason=f"{_q(path)}: {key}[{index}] needs a string name")
            body = item.get(key[:-1])
            if body is not None and not isinstance(body, dict):
                raise KubeConfigError(
                    reason=f"{_q(path)}: {key}[{index}].{key[:-1]} must be a mapping, got {_type(body)}"
                )
    current = data.get("current-context")
    if current is not None and not isinstance(current, str):
        raise KubeConfigError(reason=f"{_q(path)}: current-context must be a string, got {_type(current)}")
    return data


def current_context(files: list[dict[str, Any]]) -> str:
    """kubectl's rule: the first file that sets a non-empty current-context wins."""
    return next((f["current-context"] for f in files if f.get("current-context")), "")


def contexts_of(files: list[dict[str, Any]]) -> tuple[dict[str, dict[str, Any]], str]:
    contexts: dict[str, dict[str, Any]] = {}
    for data in files:
        for item in data.get("contexts") or []:
            contexts.setdefault(item["name"], item.get("context") or {})
    return contexts, current_context(files)


@dataclass(frozen=True)
class Merged:
    """The merged kubeconfig: `tree` is the `ConfigNode` the kubernetes loader reads; `entries` maps
    (list, name) to (body, file that defined it) for what the plugin reads itself (users' exec, clusters)."""

    tree: Any
    entries: dict[tuple[str, str], tuple[dict[str, Any], str]]
    contexts: dict[str, dict[str, Any]]
    current: str


def merge(paths: tuple[str, ...], parsed: list[dict[str, Any]]) -> Merged:
    """kubectl's merge in one pass: per list and name the first file wins; current-context from the first file
    that sets it. Each entry is a `ConfigNode` holding its file's path, as `KubeConfigMerger` builds them."""
    from kubernetes.config.kube_config import ConfigNode

    entries: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    lists: dict[str, list[Any]] = {key: [] for key in _NAMED_LISTS}
    for path, data in zip(paths, parsed):
        for key in _NAMED_LISTS:
            for item in data.get(key) or []:
                if (key, item["name"]) not in entries:
                    entries[(key, item["name"])] = (item, path)
                    lists[key].append(ConfigNode(f"{path}/{key}[name={item['name']}]", item, path))
    contexts, current = contexts_of(parsed)
    top = {"current-context": current, **lists}
    return Merged(ConfigNode(paths[0], top, paths[0]), entries, contexts, current)


def load(
    files: KubeconfigFiles,
    context: str | None,
    configuration: Any,
    deadline: Any = None,
    environ: dict[str, str] | None = None,
) -> str:
    """Fill the kubernetes `Configuration` from the merged files; returns the context's namespace. The user's
    exec credential plugin is run by `kube/credentials.py` (within `deadline`), not by the kubernetes loader; the
    proxy is the cluster's `proxy-url`, else what `environ` (default: the process's) means for the server, as
    kubectl decides it (`kube/proxy.py`)."""
    from kubernetes.config.config_exception import ConfigException
    from kubernetes.config.kube_config import KubeConfigLoader

    from kubectl_ovn_lsp.kube import credentials, proxy

    parsed = [read_file(p) for p in files.paths]
    merged = merge(files.paths, parsed)
    contexts, current = merged.contexts, merged.current
    chosen = context or current
    if not chosen:
        raise KubeConfigError(reason=f"no current-context in {_where(files)}; use --context")
    if chosen not in contexts:
        raise KubeConfigError(reason=f"context {_q(chosen)} not found in {_where(files)}")
    if not any(data.get("clusters") for data in parsed):
        raise KubeConfigError(reason=f"no clusters in {_where(files)}")
    body = contexts[chosen] if isinstance(contexts[chosen], dict) else {}
    user_name = body.get("user") if isinstance(body.get("user"), str) else None
    credentials.run_exec_plugin(merged, user_name, body.get("cluster"), deadline)  # replaces exec in the tree
    try:
        loader = KubeConfigLoader(config_dict=merged.tree, config_base_path=None, active_context=chosen)
        loader.load_and_set(configuration)
    except ConfigException as exc:
        raise KubeConfigError(reason=f"{_where(files)}: {_one_line(str(exc))}") from None
    except Exception as exc:  # an OIDC refresh, a GCP token: the library's own network and parsing errors
        what = credentials.auth_of(merged, user_name)
        raise KubeConfigError(
            reason=f"{_where(files)}: {what}failed: {type(exc).__name__}: {_one_line(str(exc))}"
        ) from None
    cluster = merged.entries.get(("clusters", str(body.get("cluster"))))
    explicit = (cluster[0].get("cluster") or {}).get("proxy-url") if cluster else None
    proxy.settle(
        configuration, explicit if isinstance(explicit, str) else None, os.environ if environ is None else environ
    )
    namespace = contexts[chosen].get("namespace") if isinstance(contexts[chosen], dict) else None
    return namespace if isinstance(namespace, str) and namespace else "default"


def _where(files: KubeconfigFiles) -> str:
    if len(files.paths) == 1:
        return _q(files.paths[0])
    return f"$KUBECONFIG ({', '.join(_q(p) for p in files.paths)})"


def _q(text: str) -> str:
    """Quote a user-supplied string so that control characters cannot split the one error line."""
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


def _type(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "a boolean",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _one_line(text: str) -> str:
    return " ".join(text.split())
