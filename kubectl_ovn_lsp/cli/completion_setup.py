"""`kubectl ovn-lsp completion install|bash|zsh`: put completion where the user's shell will find it.

kubectl completes `kubectl ovn-lsp <TAB>` by running an executable named `kubectl_complete-ovn_lsp` from PATH.
pip installs one as an entry point; krew cannot install a second executable (kubernetes-sigs/krew#812), so
`install` writes a two-line helper next to the plugin (for krew: `~/.krew/bin`, already on PATH) that runs
`kubectl-ovn_lsp __complete …`. It points at the plugin's path as kubectl ran it (krew's link, which
`krew upgrade` keeps), not at a versioned install directory. `bash`/`zsh` print scripts for running the
binary directly as `kubectl-ovn_lsp`; they speak the same protocol.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping

from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.errors import PluginError
from kubectl_ovn_lsp.options import CompletionOptions

HELPER = "kubectl_complete-ovn_lsp"
PLUGIN = "kubectl-ovn_lsp"
MARKER = "# written by `kubectl ovn-lsp completion install`"


class CompletionInstallError(PluginError):
    message = "%(detail)s"


def plugin_path(env: Environment) -> str:
    """The plugin executable as the user's PATH names it (the krew launcher exports its own $0)."""
    candidates = [env.environ.get("KUBECTL_OVN_LSP_EXECUTABLE", ""), env.program]
    for candidate in candidates:
        if candidate and os.path.basename(candidate) == PLUGIN:
            return os.path.abspath(candidate)
    import shutil

    found = shutil.which(PLUGIN, path=env.environ.get("PATH"))
    if found is None:
        raise CompletionInstallError(detail=f"cannot find {PLUGIN}; run this as `kubectl ovn-lsp completion install`")
    return found


def helper_text(plugin: str) -> str:
    return (
        f"#!/bin/sh\n{MARKER}: kubectl runs it for `kubectl ovn-lsp <TAB>`\n"
        f'exec {shlex.quote(plugin)} __complete "$@"\n'
    )


def _on_path(directory: str, environ: Mapping[str, str]) -> bool:
    wanted = os.path.realpath(directory)
    return any(os.path.realpath(p) == wanted for p in environ.get("PATH", "").split(os.pathsep) if p)


def install(directory: str | None, force: bool, env: Environment) -> int:
    """Write the helper into DIRECTORY (default: the plugin's own directory); keep a helper someone else made."""
    out = env.stdout
    plugin = plugin_path(env)
    target_dir = directory or os.path.dirname(plugin)
    target = os.path.join(target_dir, HELPER)
    if os.path.exists(target) and not force:
        try:
            with open(target, encoding="utf-8", errors="replace") as handle:
                ours = MARKER in handle.read(4096)
        except OSError:
            ours = False
        if not ours:
            out.write(f"{target} already exists (installed with the plugin); nothing to do\n")
            return 0
    try:
        os.makedirs(target_dir, exist_ok=True)
        with open(target + ".tmp", "w", encoding="utf-8") as handle:
            handle.write(helper_text(plugin))
        os.chmod(target + ".tmp", 0o755)
        os.replace(target + ".tmp", target)
    except OSError as exc:
        raise CompletionInstallError(
            detail=f"cannot write {target}: {exc.strerror or exc}; choose a directory on PATH with --dir"
        ) from None
    out.write(f"wrote {target}\n")
    if not _on_path(target_dir, env.environ):
        out.write(f"note: {target_dir} is not on PATH; kubectl finds {HELPER} only on PATH\n")
    out.write(
        "kubectl completes `kubectl ovn-lsp <TAB>` through it once kubectl's own completion is loaded "
        "(source <(kubectl completion bash) or zsh)\n"
    )
    return 0


BASH = r"""# bash completion for kubectl-ovn_lsp run directly: source <(kubectl-ovn_lsp completion bash)
# (`kubectl ovn-lsp <TAB>` completes through kubectl's own completion and kubectl_complete-ovn_lsp)
_kubectl_ovn_lsp() {
    local line=${COMP_LINE:0:COMP_POINT} cur out directive cand
    local -a words
    read -ra words <<< "$line"
    [[ $line =~ [[:space:]]$ ]] && words+=("")
    cur=${words[${#words[@]}-1]}
    out=$("${words[0]}" __complete "${words[@]:1}" 2>/dev/null) || return 0
    directive=${out##*:}
    [[ $directive =~ ^[0-9]+$ ]] || directive=0
    COMPREPLY=()
    while IFS= read -r cand; do
        [[ -z $cand || $cand == :* ]] && continue
        cand=${cand%%$'\t'*}
        [[ $cur == *=* && $COMP_WORDBREAKS == *=* ]] && cand=${cand#*=}
        COMPREPLY+=("$cand")
    done <<< "$out"
    (( directive & 2 )) && compopt -o nospace 2>/dev/null
    (( directive & 32 )) && compopt -o nosort 2>/dev/null
    if (( ${#COMPREPLY[@]} == 0 )); then
        if (( directive & 16 )); then
            compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        elif (( (directive & 4) == 0 )); then
            compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        fi
    fi
}
complete -F _kubectl_ovn_lsp kubectl-ovn_lsp
"""

ZSH = r"""#compdef kubectl-ovn_lsp
# zsh completion for kubectl-ovn_lsp run directly: source <(kubectl-ovn_lsp completion zsh) after compinit
# (`kubectl ovn-lsp <TAB>` completes through kubectl's own completion and kubectl_complete-ovn_lsp)
_kubectl_ovn_lsp() {
    local out directive line
    local -a lines cands descs
    out=$("${words[1]}" __complete "${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
    lines=("${(@f)out}")
    directive=${lines[-1]#:}
    [[ $directive == <-> ]] || directive=0
    for line in "${(@)lines[1,-2]}"; do
        [[ -z $line ]] && continue
        cands+=("${line%%$'\t'*}")
        if [[ $line == *$'\t'* ]]; then descs+=("${line%%$'\t'*} -- ${line#*$'\t'}"); else descs+=("$line"); fi
    done
    if (( ${#cands} )); then
        local -a order
        (( directive & 32 )) && order=(-V unsorted)
        if (( directive & 2 )); then
            compadd "${order[@]}" -S '' -d descs -- "${cands[@]}"
        else
            compadd "${order[@]}" -d descs -- "${cands[@]}"
        fi
    elif (( directive & 16 )); then
        _path_files -/
    elif (( ! (directive & 4) )); then
        _files
    fi
}
compdef _kubectl_ovn_lsp kubectl-ovn_lsp
"""


def run(options: CompletionOptions, env: Environment) -> int:
    if options.shell == "install":
        return install(options.directory, options.force, env)
    env.stdout.write(BASH if options.shell == "bash" else ZSH)
    return 0
