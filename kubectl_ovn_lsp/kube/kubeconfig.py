"""Which kubeconfig files a command reads, merged as kubectl merges them, with errors that name the file.

kubectl's rules (client-go `clientcmd` loading rules): `--kubeconfig FILE` is the only file and must exist;
else every file of `$KUBECONFIG` (a path list; missing files are skipped) is merged, the first file to define
a cluster, context or user by name wins, and `current-context` comes from the first file that sets it; else
`~/.kube/config`. The kubernetes package's `KubeConfigMerger` does the per-name merge (and keeps each entry's
file for relative certificate paths) but lets the *last* file set `current-context`, and it fails with a
bare `KeyError`/YAML traceback on a malformed file: so each file is checked here first, and the current
context is set by kubectl's rule. `read_contexts` needs only PyYAML, for completion (no kubernetes import).
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

    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
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


def read_contexts(paths: tuple[str, ...]) -> tuple[dict[str, dict], str]:
    """(context name → context body, current context) of the merged files, first definition winning."""
    files = [read_file(p) for p in paths]
    contexts: dict[str, dict] = {}
    for data in files:
        for item in data.get("contexts") or []:
            contexts.setdefault(item["name"], item.get("context") or {})
    return contexts, current_context(files)


def load(files: KubeconfigFiles, context: str | None, configuration: Any) -> str:
    """Fill the kubernetes `Configuration` from the merged files; returns the context's namespace."""
    from kubernetes.config.config_exception import ConfigException
    from kubernetes.config.kube_config import KubeConfigLoader, KubeConfigMerger

    parsed = [read_file(p) for p in files.paths]
    contexts, current = read_contexts(files.paths)
    chosen = context or current
    if not chosen:
        raise KubeConfigError(reason=f"no current-context in {_where(files)}; use --context")
    if chosen not in contexts:
        raise KubeConfigError(reason=f"context {_q(chosen)} not found in {_where(files)}")
    if not any(data.get("clusters") for data in parsed):
        raise KubeConfigError(reason=f"no clusters in {_where(files)}")
    merger = KubeConfigMerger(os.pathsep.join(files.paths))
    merger.config.value["current-context"] = current  # kubectl: first file wins, not the last
    try:
        loader = KubeConfigLoader(config_dict=merger.config, config_base_path=None, active_context=chosen)
        loader.load_and_set(configuration)
    except ConfigException as exc:
        raise KubeConfigError(reason=f"{_where(files)}: {_one_line(str(exc))}") from None
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise KubeConfigError(reason=f"{_where(files)}: {type(exc).__name__}: {_one_line(str(exc))}") from None
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
