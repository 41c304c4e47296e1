"""Values for completion: which flag takes what, and where cluster values come from (kubectl, kubeconfig).

`RULES` is the declarative table keyed by the argparse `dest`: a flag added anywhere in the parser with one
of these dests is completed without more code; `FREE_FORM` lists the dests whose values cannot be guessed.
Flags with `choices` or a metavar such as `true|false` or `auto|exec|REMOTE` need no entry at all. A test
checks that every value-taking argument of every subcommand is covered by one of these, so a new flag is a
conscious choice, not a silent gap.

Cluster values are asked of `kubectl` itself, with the user's `--kubeconfig`/`--context`: importing the
`kubernetes` package costs 0.6–0.8 s, a kubectl call ~50 ms, and kubectl already knows every way to
authenticate (exec plugins, OIDC, client certificates) and where the discovery cache is. Contexts come from
the kubeconfig files themselves, merged the way kubectl merges `$KUBECONFIG` (the first file to define a
name wins). Every failure is an empty answer.
"""

from __future__ import annotations

import argparse
import os
import re

from kubectl_ovn_lsp.model.targets import TARGET_RESOURCES

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` would import typing (~2 ms) on every TAB
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

NO_FILE = ":4"
FILES = ":0"
DIRECTORIES = ":16"
NO_SPACE_NO_FILE = ":6"
KEEP_ORDER_NO_FILE = ":36"  # cobra's ShellCompDirectiveKeepOrder (32): the shell lists them as given, not sorted
KUBECTL_TIMEOUT = 3.0  # a TAB that waits longer is worse than no candidates


# kinds a workload name may be prefixed with, and the resource kubectl lists for each (`model/targets.py`)
KIND_RESOURCES = TARGET_RESOURCES


def run_kubectl(args: list[str], values: Mapping[str, str]) -> tuple[str, int]:
    """Run `kubectl ARGS` with the user's kubeconfig/context; (stdout, exit code), ("", -1) on any failure."""
    import subprocess

    argv = ["kubectl", *args]
    if values.get("kubeconfig"):
        argv.append(f"--kubeconfig={values['kubeconfig']}")
    if values.get("context"):
        argv.append(f"--context={values['context']}")
    argv.append(f"--request-timeout={int(KUBECTL_TIMEOUT)}s")
    try:
        proc = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=KUBECTL_TIMEOUT + 1,
            text=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "", -1
    return proc.stdout, proc.returncode


def _scope(values: Mapping[str, str]) -> list[str]:
    if values.get("all_namespaces") == "true":
        return ["--all-namespaces"]
    if values.get("namespace"):
        return [f"--namespace={values['namespace']}"]
    return []  # kubectl uses the context's namespace, as the plugin does


def _names(output: str) -> list[tuple[str, str]]:
    """`kubectl get -o name` lines (`pod/x`, `virtualmachine.kubevirt.io/y`) -> [(kind, name)]."""
    out = []
    for line in output.splitlines():
        kind, slash, name = line.strip().partition("/")
        if slash and name:
            out.append((kind.split(".", 1)[0], name))
    return out


def workloads(action: argparse.Action, partial: str, values: Mapping[str, str]) -> tuple[list[str], str]:
    """Names first: VMs and pods unprefixed (as NAME accepts them), then `node/NAME`; `KIND/` narrows to a kind."""
    prefix, slash, rest = partial.partition("/")
    if slash:
        resource = KIND_RESOURCES.get(prefix.lower())
        if resource is None:
            return [], NO_FILE
        output, _ = run_kubectl(["get", resource, "-o", "name", *_scope(values)], values)
        return [f"{prefix}/{name}" for _, name in _names(output) if name.startswith(rest)], NO_FILE
    output, code = run_kubectl(
        ["get", "virtualmachines.v1.kubevirt.io,pods,nodes", "-o", "name", *_scope(values)], values
    )
    if code != 0 and not output:  # no KubeVirt CRDs (or nodes forbidden): ask for less
        output, code = run_kubectl(["get", "pods,nodes", "-o", "name", *_scope(values)], values)
        if code != 0 and not output:
            output, _ = run_kubectl(["get", "pods", "-o", "name", *_scope(values)], values)
    found: list[str] = []
    for kind, name in _names(output):
        candidate = f"node/{name}" if kind == "node" else name
        if candidate.startswith(partial) and candidate not in found:
            found.append(candidate)
    return found, NO_FILE


def kubeconfig_files(values: Mapping[str, str]) -> list[str]:
    """The files kubectl reads: `--kubeconfig`, else every `$KUBECONFIG` entry, else ~/.kube/config."""
    if values.get("kubeconfig"):
        return [os.path.expanduser(values["kubeconfig"])]
    env = os.environ.get("KUBECONFIG", "")
    paths = [p for p in env.split(os.pathsep) if p]
    if not paths:
        return [os.path.expanduser("~/.kube/config")]
    return list(dict.fromkeys(os.path.expanduser(p) for p in paths))


def merged_contexts(files: list[str]) -> dict[str, dict[str, Any]]:
    """Context name -> context, merged as kubectl merges: the first file that defines a name wins."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    merged: dict[str, dict[str, Any]] = {}
    for path in files:
        try:
            with open(path, encoding="utf-8") as handle:
                config = yaml.load(handle, Loader=loader) or {}
        except (OSError, yaml.YAMLError):
            continue
        for entry in config.get("contexts") or [] if isinstance(config, dict) else []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                merged.setdefault(entry["name"], entry.get("context") or {})
    return merged


def contexts(action: argparse.Action, partial: str, values: Mapping[str, str]) -> tuple[list[str], str]:
    names = merged_contexts(kubeconfig_files(values))
    return [n for n in names if n.startswith(partial)], NO_FILE


def namespaces(action: argparse.Action, partial: str, values: Mapping[str, str]) -> tuple[list[str], str]:
    """Namespaces the cluster lists; when listing is refused, those the kubeconfig contexts name."""
    output, _ = run_kubectl(["get", "namespaces", "-o", "name"], values)
    found = [name for _, name in _names(output)]
    if not found:
        found = sorted(
            {
                str(c.get("namespace"))
                for c in merged_contexts(kubeconfig_files(values)).values()
                if isinstance(c, dict) and c.get("namespace")
            }
        )
    return [n for n in found if n.startswith(partial)], NO_FILE


def releases(action: argparse.Action, partial: str, values: Mapping[str, str]) -> tuple[list[str], str]:
    """The Kube-OVN releases the model knows, newest first, plus the words the flag's type accepts; the shell is
    told to keep that order (issue #18: bash and zsh sorted the 214 releases as text, v1.10.0 before v1.9.9)."""
    from kubectl_ovn_lsp.model.releases import checked_tags

    words = [str(v) for v in reversed(checked_tags())] + ["master", "all"]
    found = [w for w in words if w.startswith(partial) and _accepted(action, w)]
    return found, KEEP_ORDER_NO_FILE if len(found) > 1 else NO_FILE


def verdict_list(action: argparse.Action, partial: str, values: Mapping[str, str]) -> tuple[list[str], str]:
    """`--only lost,st<TAB>`: the verdict words not yet in the comma list; no space, another may follow."""
    from kubectl_ovn_lsp.model.verdicts import VERDICTS

    done, comma, last = partial.rpartition(",")
    given = set(done.split(",")) if comma else set()
    head = done + comma
    return [head + v.name for v in VERDICTS if v.name.startswith(last) and v.name not in given], NO_SPACE_NO_FILE


def files(action: argparse.Action, partial: str, values: Mapping[str, str]) -> tuple[list[str], str]:
    return [], FILES


def directories(action: argparse.Action, partial: str, values: Mapping[str, str]) -> tuple[list[str], str]:
    return [], DIRECTORIES


RULES: dict[str, Callable[..., tuple[list[str], str]]] = {
    "target": workloads,
    "namespace": namespaces,
    "ovn_namespace": namespaces,
    "context": contexts,
    "kubeconfig": files,
    "nb_private_key": files,
    "nb_certificate": files,
    "nb_ca_cert": files,
    "file": files,
    "dir": directories,
    "kube_ovn_version": releases,
    "upgrade_to": releases,
    "only": verdict_list,
}
# values nobody can guess (numbers, durations, remotes): completing them offers nothing and no file names
FREE_FORM = {
    "request_timeout",
    "nb_member_timeout",
    "chunk_size",
    "since",
    "tail",
    "limit_bytes",
    "listen",
    "interval",
    "max_finding_series",
}

_LITERAL = re.compile(r"^[a-z][a-z0-9-]*$")


def literal_alternatives(action: argparse.Action) -> list[str]:
    """`choices`, else the lower-case words of a metavar such as `true|false` or `auto|exec|REMOTE`."""
    if action.choices is not None:
        return [str(c) for c in action.choices]
    metavar = action.metavar if isinstance(action.metavar, str) else ""
    if "|" in metavar:
        return [w for w in metavar.split("|") if _LITERAL.match(w)]
    return []


def values_for(action: argparse.Action, partial: str, values: Mapping[str, str]) -> tuple[list[str], str]:
    """Candidates and directive for the value of one argument."""
    rule = RULES.get(action.dest)
    if rule is not None:
        return rule(action, partial, values)
    return [w for w in literal_alternatives(action) if w.startswith(partial)], NO_FILE


def _accepted(action: argparse.Action, word: str) -> bool:
    if action.type is None or not callable(action.type):
        return True
    try:
        action.type(word)
    except (argparse.ArgumentTypeError, TypeError, ValueError):
        return False
    return True
