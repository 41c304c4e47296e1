"""`python -m ovn_lsp_sandbox.apiserver`: ready file, start-up time, SIGTERM, one-line errors."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ovn_lsp_sandbox.apiserver.fixtures import sample_config

ENTRY = [sys.executable, "-m", "ovn_lsp_sandbox.apiserver"]


def _start(tmp_path: Path, config: dict) -> tuple[subprocess.Popen[bytes], dict, float]:
    cfg, ready = tmp_path / "config.json", tmp_path / "ready.json"
    cfg.write_text(json.dumps(config))
    began = time.perf_counter()
    proc = subprocess.Popen([*ENTRY, "--config", str(cfg), "--ready-file", str(ready)], stderr=subprocess.PIPE)
    while not ready.exists():
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.perf_counter() - began < 10, "server did not become ready"
        time.sleep(0.005)
    return proc, json.loads(ready.read_text()), time.perf_counter() - began


@pytest.mark.parametrize("tls", [False, True])
def test_ready_file_then_sigterm(tmp_path: Path, tls: bool) -> None:
    config = sample_config(tls=tls) | {"workdir": str(tmp_path)}
    proc, ready, elapsed = _start(tmp_path, config)
    try:
        assert ready["pid"] == proc.pid
        assert ready["url"].startswith("https://" if tls else "http://127.0.0.1:")
        if not tls:
            with urllib.request.urlopen(ready["url"] + "/version", timeout=5) as resp:
                assert json.load(resp)["major"] == "1"
        else:
            assert Path(ready["ca"]).read_text().startswith("-----BEGIN CERTIFICATE-----")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0


def test_bad_config_is_one_line_no_traceback(tmp_path: Path) -> None:
    cfg = tmp_path / "config.json"
    cfg.write_text("{not json")
    res = subprocess.run([*ENTRY, "--config", str(cfg)], capture_output=True, text=True, timeout=30)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert res.stderr.startswith("sandbox-apiserver: JSONDecodeError")
