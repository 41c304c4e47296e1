"""Benchmark: completion through `kubectl __complete ovn-lsp …` against kubectl's own completion, and start-up
of the plugin installed from the krew archive against the pip install.

Every case runs through kubectl exactly as a shell's TAB does, interleaved with the baseline
`kubectl __complete get pods -n NS ''` in the same loop (so machine load hits both alike); we print
medians and the ratio to the baseline. Targets from issue #12: static ≤ 2×, names ≤ 3×. Start-up: the
first run after a fresh krew-style install (Python writes its bytecode cache then) and warm runs, for
`version` and `explain`, against the pip-installed plugin on PATH. Reports, never asserts.

    python3 benchmarks/bench_completion.py [--runs 21] [--install pip|krew|both] [--archive FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STATIC = {
    "subcommands ''": ["ovn-lsp", ""],
    "flags explain --k": ["ovn-lsp", "explain", "--k"],
    "values --keep-vm-ip ''": ["ovn-lsp", "explain", "vm-a", "--keep-vm-ip", ""],
    "releases --kube-ovn-version v1.1": ["ovn-lsp", "explain", "vm-a", "--kube-ovn-version", "v1.1"],
    "contexts --context ''": ["ovn-lsp", "explain", "vm-a", "--context", ""],
}
NAMES = {
    "names -n NS ''": ["ovn-lsp", "explain", "-n", "{ns}", ""],
    "names -A ''": ["ovn-lsp", "explain", "-A", ""],
    "namespaces -n ''": ["ovn-lsp", "explain", "-n", ""],
}


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def completion_table(env: dict[str, str], namespace: str, runs: int, label: str) -> None:
    baseline = ["kubectl", "__complete", "get", "pods", "-n", namespace, ""]
    cases = {**STATIC, **NAMES}
    argvs = {name: ["kubectl", "__complete", *[w.format(ns=namespace) for w in words]] for name, words in cases.items()}
    for argv in [baseline, *argvs.values()]:  # warm caches (discovery, page cache, bytecode)
        timed(argv, env)
    times: dict[str, list[float]] = {name: [] for name in ["baseline", *argvs]}
    for _ in range(runs):
        times["baseline"].append(timed(baseline, env))
        for name, argv in argvs.items():
            times[name].append(timed(argv, env))
    base = statistics.median(times["baseline"])
    print(
        f"\ncompletion ({label}), medians of {runs} interleaved runs; baseline "
        f"`kubectl __complete get pods -n {namespace} ''` = {base * 1000:.0f} ms"
    )
    for name in argvs:
        median = statistics.median(times[name])
        kind, target = ("static", 2.0) if name in STATIC else ("names", 3.0)
        print(f"  {name:36s} {median * 1000:6.0f} ms  {median / base:4.2f}x  ({kind}, target <= {target:.0f}x)")


def startup_table(envs: dict[str, dict[str, str]], namespace: str, target: str, runs: int) -> None:
    commands = {
        "version": ["kubectl", "ovn-lsp", "version"],
        "explain": ["kubectl", "ovn-lsp", "explain", target, "-n", namespace, "-o", "json"],
    }
    print(f"\nstart-up, medians of {runs} warm runs (wall, through kubectl)")
    for label, env in envs.items():
        for name, argv in commands.items():
            timed(argv, env)
            median = statistics.median(timed(argv, env) for _ in range(runs))
            print(f"  {label:8s} {name:8s} {median * 1000:6.0f} ms")


def build_archive(tmp: Path) -> Path:
    sys.path.insert(0, str(ROOT / "krew"))
    import build

    cache = Path(os.environ.get("KUBECTL_OVN_LSP_WHEEL_CACHE", Path.home() / ".cache/kubectl-ovn-lsp/wheels"))
    started = time.perf_counter()
    result = build.build(tmp / "dist", cache)
    print(f"built {result['archive'].name}: {result['size'] / 1e6:.1f} MB in {time.perf_counter() - started:.0f} s")
    return result["archive"]


def krew_install(archive: Path, root: Path, env: dict[str, str]) -> dict[str, str]:
    """Unpack as krew does, link the launcher into root/bin, install the completion helper; returns the env."""
    import tarfile

    if root.exists():
        shutil.rmtree(root)
    store = root / "store" / "ovn-lsp" / "v0"
    store.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(store, filter="tar")
    (root / "bin").mkdir()
    (root / "bin" / "kubectl-ovn_lsp").symlink_to(store / "kubectl-ovn_lsp")
    path = [str(root / "bin")] + [
        p for p in env["PATH"].split(os.pathsep) if not (Path(p) / "kubectl-ovn_lsp").exists()
    ]
    krew_env = dict(env, PATH=os.pathsep.join(path))
    subprocess.run(["kubectl", "ovn-lsp", "completion", "install"], env=krew_env, check=True, capture_output=True)
    return krew_env


def first_runs(archive: Path, tmp: Path, env: dict[str, str], namespace: str, target: str, fresh: int) -> None:
    """The first command after a fresh install pays for Python's bytecode cache."""
    for name, argv in {
        "version": ["kubectl", "ovn-lsp", "version"],
        "explain": ["kubectl", "ovn-lsp", "explain", target, "-n", namespace, "-o", "json"],
    }.items():
        samples = []
        for _ in range(fresh):
            krew_env = krew_install(archive, tmp / "fresh", env)
            samples.append(timed(argv, krew_env))
        print(
            f"  krew     {name:8s} {statistics.median(samples) * 1000:6.0f} ms  first run after a fresh install "
            f"(median of {fresh})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--scenario", default="tc4")
    parser.add_argument("--namespace", default="test-ns")
    parser.add_argument("--target", default="vm-a")
    parser.add_argument("--install", choices=("pip", "krew", "both"), default="both")
    parser.add_argument("--archive", help="a built archive (default: build one with krew/build.py)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-completion-") as name:
        tmp = Path(name)
        subprocess.run(
            ["kubectl-ovn_lsp-sandbox", "up", args.scenario, "--dir", str(tmp / "sb")], check=True, capture_output=True
        )
        try:
            state = json.loads((tmp / "sb" / "state.json").read_text())
            env = dict(os.environ, KUBECONFIG=state["kubeconfig"], KUBECACHEDIR=str(tmp / "cache"), NO_COLOR="1")
            envs = {}
            if args.install in ("pip", "both"):
                envs["pip"] = env
            if args.install in ("krew", "both"):
                archive = Path(args.archive) if args.archive else build_archive(tmp)
                envs["krew"] = krew_install(archive, tmp / "krew", env)
            for label, run_env in envs.items():
                completion_table(run_env, args.namespace, args.runs, label)
            startup_table(envs, args.namespace, args.target, max(5, args.runs // 3))
            if "krew" in envs:
                first_runs(archive, tmp, env, args.namespace, args.target, 3)
        finally:
            subprocess.run(["kubectl-ovn_lsp-sandbox", "down", "--dir", str(tmp / "sb")], capture_output=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
