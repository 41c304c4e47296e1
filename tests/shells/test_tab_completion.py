"""Real TAB presses in bash (with bash-completion) and zsh, in tmux: what a user sees on the prompt line.

`kubectl ovn-lsp …` completes through kubectl's own completion script (`kubectl completion bash|zsh`), which
runs `kubectl __complete ovn-lsp …` and so our helper; `kubectl-ovn_lsp …` run directly completes through the
script `kubectl-ovn_lsp completion bash|zsh` prints. Needs tmux, zsh, bash-completion: `.ci/install-shells`.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sandboxes import Sandbox

BASH_RC = """PS1='$ '
source /usr/share/bash-completion/bash_completion
source <(kubectl completion bash)
source <(kubectl-ovn_lsp completion bash)
"""
ZSH_RC = """PS1='$ '
PROMPT='$ '
autoload -U compinit && compinit -u
source <(kubectl completion zsh)
source <(kubectl-ovn_lsp completion zsh)
"""


class Terminal:
    """One interactive shell in a tmux window: type, press TAB, read the prompt line."""

    def __init__(self, socket: str, name: str) -> None:
        self.socket, self.name = socket, name

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True).stdout

    def prompt_line(self) -> str:
        lines = [line.rstrip() for line in self.tmux("capture-pane", "-p", "-J", "-t", self.name).splitlines()]
        prompts = [line for line in lines if line.startswith("$")]
        return prompts[-1] if prompts else ""

    def complete(self, typed: str, expected: str | None = None, tabs: int = 1, timeout: float = 15) -> str:
        """Type `typed`, press TAB, wait until the prompt line settles (or shows `expected`); returns it."""
        self.tmux("send-keys", "-t", self.name, "C-u")
        self.tmux("send-keys", "-t", self.name, "-l", typed)
        for _ in range(tabs):
            self.tmux("send-keys", "-t", self.name, "Tab")
            time.sleep(0.3)
        deadline, last, stable = time.monotonic() + timeout, None, 0
        while time.monotonic() < deadline:
            line = self.prompt_line()
            if expected is not None and line == f"$ {expected}":
                return line[2:]
            stable = stable + 1 if line == last else 0
            if expected is None and stable >= 6:
                return line[2:]
            last = line
            time.sleep(0.25)
        return (last or "")[2:]


@pytest.fixture(scope="module")
def shells(tc4: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Terminal]]:
    missing = [t for t in ("tmux", "zsh") if shutil.which(t) is None]
    if missing or not Path("/usr/share/bash-completion/bash_completion").exists():
        pytest.fail(f"missing {missing or 'bash-completion'}: run `bash .ci/install-shells` (tests never skip)")
    home = tmp_path_factory.mktemp("shell-home")
    (home / ".bashrc").write_text(BASH_RC)
    (home / ".zshrc").write_text(ZSH_RC)
    (home / "kubeconfigs").mkdir()
    (home / "kubeconfigs" / "kc-unique-file.yaml").write_text(Path(tc4.kubeconfig).read_text())
    socket = f"ovn-lsp-{uuid.uuid4().hex[:8]}"
    env = tc4.env(HOME=str(home), ZDOTDIR=str(home), TERM="xterm")
    subprocess.run(
        [
            "tmux",
            "-L",
            socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "bash",
            "-x",
            "200",
            "-y",
            "50",
            "bash --noprofile --rcfile ~/.bashrc -i",
        ],
        check=True,
        env=env,
        cwd=home,
    )
    subprocess.run(["tmux", "-L", socket, "new-window", "-d", "-n", "zsh", "zsh -i"], check=True, env=env, cwd=home)
    terminals = {"bash": Terminal(socket, "bash"), "zsh": Terminal(socket, "zsh")}
    for terminal in terminals.values():  # wait for the first prompt (rc files loaded)
        deadline = time.monotonic() + 20
        while terminal.prompt_line() != "$" and time.monotonic() < deadline:
            time.sleep(0.2)
    yield terminals
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


SHELLS = ["bash", "zsh"]


@pytest.mark.parametrize("shell", SHELLS)
def test_subcommand_and_names(shells: dict[str, Terminal], shell: str) -> None:
    term = shells[shell]
    assert term.complete("kubectl ovn-lsp expl", "kubectl ovn-lsp explain") == "kubectl ovn-lsp explain"
    typed = "kubectl ovn-lsp explain -n test-ns vm"
    assert term.complete(typed, "kubectl ovn-lsp explain -n test-ns vm-a") == "kubectl ovn-lsp explain -n test-ns vm-a"
    typed = "kubectl ovn-lsp explain -n test-ns virt"
    expected = "kubectl ovn-lsp explain -n test-ns virt-launcher-vm-a-7xk2p"
    assert term.complete(typed, expected) == expected


@pytest.mark.parametrize("shell", SHELLS)
def test_one_tab_on_an_empty_word_never_types_a_dash(shells: dict[str, Terminal], shell: str) -> None:
    line = shells[shell].complete("kubectl ovn-lsp explain -n test-ns ")
    assert "-n test-ns -" not in line and not line.endswith("--")


@pytest.mark.parametrize("shell", SHELLS)
def test_closed_set_values(shells: dict[str, Terminal], shell: str) -> None:
    term = shells[shell]
    expected = "kubectl ovn-lsp explain vm-a --keep-vm-ip true"
    assert term.complete("kubectl ovn-lsp explain vm-a --keep-vm-ip t", expected) == expected
    assert (
        term.complete("kubectl ovn-lsp explain vm-a -o ya", "kubectl ovn-lsp explain vm-a -o yaml")
        == "kubectl ovn-lsp explain vm-a -o yaml"
    )


@pytest.mark.parametrize("shell", SHELLS)
def test_files_for_path_flags(shells: dict[str, Terminal], shell: str) -> None:
    expected = "kubectl ovn-lsp explain vm-a --kubeconfig kubeconfigs/kc-unique-file.yaml"
    assert shells[shell].complete("kubectl ovn-lsp explain vm-a --kubeconfig kubeconfigs/kc-u", expected) == expected


@pytest.mark.parametrize("shell", SHELLS)
def test_the_binary_run_directly(shells: dict[str, Terminal], shell: str) -> None:
    term = shells[shell]
    assert (
        term.complete("kubectl-ovn_lsp explain -n test-ns vm", "kubectl-ovn_lsp explain -n test-ns vm-a")
        == "kubectl-ovn_lsp explain -n test-ns vm-a"
    )
    expected = "kubectl-ovn_lsp explain vm-a --nb-ca-cert kubeconfigs/kc-unique-file.yaml"
    assert term.complete("kubectl-ovn_lsp explain vm-a --nb-ca-cert kubeconfigs/kc", expected) == expected


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("command", ["kubectl ovn-lsp", "kubectl-ovn_lsp"])
def test_releases_are_listed_newest_first(shells: dict[str, Terminal], shell: str, command: str) -> None:
    """#18: the shells sorted the releases as text (v1.13.1, v1.13.10, …); the listing keeps version order."""
    term = shells[shell]
    term.complete(f"{command} audit -A --kube-ovn-version v1.13.1", tabs=2)
    pane = term.tmux("capture-pane", "-p", "-J", "-t", term.name)
    order = ["v1.13.15", "v1.13.14", "v1.13.13", "v1.13.12", "v1.13.11", "v1.13.10", "v1.13.1"]
    listing = [line.split() for line in pane.splitlines() if not line.startswith("$") and "v1.13.1" in line.split()]
    assert listing and listing[-1] == order, pane
    term.tmux("send-keys", "-t", term.name, "C-c")
