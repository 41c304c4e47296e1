"""`kubectl_complete-ovn_lsp`: the completion helper kubectl runs for `kubectl ovn-lsp <TAB>`.

kubectl calls it with the words typed after the plugin name, the last one being the partial word,
and expects one candidate per line and a final `:4` (ShellCompDirectiveNoFileComp). argcomplete does
the argparse walk in-process through its environment protocol; dynamic values (namespaces, contexts,
workload names) come from the cluster with a short timeout and fail silent.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any, Iterable, Sequence

NO_FILE_COMPLETION = ":4"
COMPLETION_TIMEOUT = 3.0


def _client(parsed_args: Any) -> Any:
    from kubectl_ovn_lsp.kube.client import KubeClient

    return KubeClient.connect(getattr(parsed_args, "kubeconfig", None), getattr(parsed_args, "context", None),
                              COMPLETION_TIMEOUT)


def namespaces(prefix: str, parsed_args: Any, **_: Any) -> list[str]:
    from kubectl_ovn_lsp.kube.client import Resource

    items = _client(parsed_args).list(Resource("Namespace", "namespaces", namespaced=False))
    return [i["metadata"]["name"] for i in items if i["metadata"]["name"].startswith(prefix)]


def contexts(prefix: str, parsed_args: Any, **_: Any) -> list[str]:
    import yaml

    path = getattr(parsed_args, "kubeconfig", None) or (os.environ.get("KUBECONFIG") or "").split(os.pathsep)[0]
    path = path or os.path.expanduser("~/.kube/config")
    with open(path, encoding="utf-8") as handle:
        config = yaml.safe_load(handle) or {}
    return [c["name"] for c in config.get("contexts") or [] if c.get("name", "").startswith(prefix)]


def workloads(prefix: str, parsed_args: Any, **_: Any) -> list[str]:
    """VM names first (the common case), then `pod/` names; a typed `pod/` or `vm/` prefix narrows it."""
    from kubectl_ovn_lsp.kube.client import PODS, VMIS, VMS

    client = _client(parsed_args)
    namespace = getattr(parsed_args, "namespace", None) or client.namespace
    kind, _, rest = prefix.rpartition("/")
    sources = {"vm": VMS, "vmi": VMIS, "pod": PODS}
    chosen = [kind] if kind in sources else ["vm", "pod"]
    out = []
    for key in chosen:
        for item in client.list(sources[key], namespace, missing_ok=True):
            name = item["metadata"]["name"]
            candidate = name if (key == "vm" and not kind) else f"{key}/{name}"
            if candidate.startswith(prefix) or name.startswith(rest):
                out.append(candidate)
    return [c for c in out if c.startswith(prefix)]


def attach_completers(parser: Any) -> None:
    """Wire dynamic completers onto the parser's actions by destination name."""
    by_dest = {"namespace": namespaces, "context": contexts, "target": workloads}
    for action in _all_actions(parser):
        if action.dest in by_dest:
            action.completer = _quiet(by_dest[action.dest])


def _quiet(function: Any) -> Any:
    def completer(**kwargs: Any) -> list[str]:
        try:
            return function(**kwargs)
        except Exception:  # completion must never print errors into the user's shell
            return []

    return completer


def _all_actions(parser: Any) -> Iterable[Any]:
    import argparse

    for action in parser._actions:
        yield action
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _all_actions(sub)


def candidates(words: Sequence[str]) -> list[str]:
    """Completions for `kubectl ovn-lsp <words…>`, the last word being the partial one."""
    import argcomplete

    from kubectl_ovn_lsp.cli.main import build_parser
    from kubectl_ovn_lsp.cli.environ import temporary_environ

    parser = build_parser()
    attach_completers(parser)
    line = " ".join(["kubectl-ovn_lsp", *words])
    environ = {
        "_ARGCOMPLETE": "1",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "_ARGCOMPLETE_IFS": "\n",
        "_ARGCOMPLETE_SUPPRESS_SPACE": "1",
    }
    buffer = io.StringIO()

    def stop(code: int = 0) -> None:
        raise _Done()

    with temporary_environ(**environ):
        try:
            argcomplete.autocomplete(parser, exit_method=stop, output_stream=buffer, append_space=False,
                                     default_completer=lambda **_: [])
        except _Done:
            pass
    return [c for c in buffer.getvalue().split("\n") if c]


class _Done(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if not words:
        words = [""]
    for candidate in candidates(words):
        print(candidate)
    print(NO_FILE_COMPLETION)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
