"""Process entry: `python -m ovn_lsp_sandbox.apiserver --config C.json --ready-file F` (runs until SIGTERM)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import logging
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from ovn_lsp_sandbox.apiserver.config import ApiServerConfig
from ovn_lsp_sandbox.depth import allow_deep_objects

log = logging.getLogger("sandbox-apiserver")


def write_ready_file(path: Path, payload: dict[str, object]) -> None:
    """Atomic (write + rename), so a poller never reads half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(payload))
    os.replace(tmp, path)


@contextlib.contextmanager
def temporary_environ(**values: str) -> Iterator[None]:
    """Set variables for the duration of a block, restored exactly (unset variables stay unset)."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _import_runner() -> None:
    """Import aiohttp without its import-time client SSL context loading the CA bundle (~60 ms of the start-up
    budget): the server never dials out. The variables are restored so exec'd commands see the real ones."""
    with temporary_environ(SSL_CERT_FILE=os.devnull, SSL_CERT_DIR=os.devnull):
        import ovn_lsp_sandbox.apiserver.runner  # noqa: F401


async def serve(config: ApiServerConfig, ready_file: Path | None) -> None:
    from ovn_lsp_sandbox.apiserver.runner import start_server

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    server = await start_server(config)
    gc.enable()
    gc.freeze()  # the store lives as long as the process: keep the collector from rescanning it
    payload: dict[str, object] = {"url": server.url, "pid": os.getpid()}
    if server.ca_file:
        payload["ca"] = server.ca_file
    if ready_file is not None:
        write_ready_file(ready_file, payload)
    log.info("serving on %s", server.url)
    await stop.wait()
    await server.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ovn_lsp_sandbox.apiserver",
        description="Serve a sandbox's Kubernetes objects as a Kubernetes API server.",
    )
    parser.add_argument("--config", required=True, type=Path, help="JSON config written by the sandbox")
    parser.add_argument("--ready-file", type=Path, help='written as {"url": …, "pid": …} once listening')
    args = parser.parse_args(argv)
    allow_deep_objects()  # serve objects as deep as kube-apiserver does
    logging.basicConfig(level=logging.INFO, format="sandbox-apiserver: %(message)s", stream=sys.stderr)
    try:
        _import_runner()
        # A generated cluster is ~1 million dicts: cyclic GC passes during the parse cost seconds, not garbage.
        gc.disable()
        asyncio.run(serve(ApiServerConfig.load(args.config), args.ready_file))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 -- one line for the user; no traceback
        log.error("%s: %s", type(exc).__name__, exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
