"""Pod exec over WebSocket (v5/v4.channel.k8s.io): really runs the command here, with the pod's sandbox env."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from ovn_lsp_sandbox.apiserver.config import ExecTarget

V5 = "v5.channel.k8s.io"
V4 = "v4.channel.k8s.io"
PROTOCOLS = (V5, V4)  # preference order when a client offers both
STDIN, STDOUT, STDERR, STATUS, RESIZE, CLOSE = 0, 1, 2, 3, 4, 255
_CHUNK = 32 * 1024


@dataclass(frozen=True)
class ExecRequest:
    argv: list[str]
    stdin: bool
    stdout: bool
    stderr: bool
    tty: bool


def offered_protocol(header: str) -> str | None:
    """The protocol we will answer with, or None (then the caller rejects the upgrade with 400)."""
    offered = [p.strip() for p in header.split(",") if p.strip()]
    return next((p for p in offered if p in PROTOCOLS), None)


def prepare_command(argv: list[str], target: ExecTarget | None) -> tuple[list[str], dict[str, str]]:
    """Apply the pod's argv rewrites (`/var/run/ovn/` → the sandbox's run dir) and its environment."""
    env = dict(os.environ)
    if target is None:
        return list(argv), env
    env.update(target.env)
    out = []
    for arg in argv:
        for old, new in target.rewrite.items():
            arg = arg.replace(old, new)
        out.append(arg)
    return out, env


def exit_status(argv: list[str], code: int) -> dict[str, Any]:
    """The status-channel message kubelet writes; kubectl and the Python client read the code from the cause."""
    if code == 0:
        return {"metadata": {}, "status": "Success"}
    return {
        "metadata": {},
        "status": "Failure",
        "message": f"command terminated with non-zero exit code: error executing command {_go_list(argv)}, "
        f"exit code {code}",
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]},
    }


def _go_list(argv: list[str]) -> str:
    return "[" + " ".join(argv) + "]"


class ExecSession:
    """One exec: a subprocess wired to WebSocket channels; ends with a status message and a normal close."""

    def __init__(
        self,
        ws: web.WebSocketResponse,
        req: ExecRequest,
        target: ExecTarget | None,
        procs: set[asyncio.subprocess.Process],
    ) -> None:
        self.ws = ws
        self.req = req
        self.target = target
        self.procs = procs  # the app's live processes, killed at shutdown
        self.proc: asyncio.subprocess.Process | None = None

    async def send(self, channel: int, data: bytes) -> None:
        """One frame: the channel byte, then the data. A client that went away just stops receiving."""
        if self.ws.closed:
            return
        with contextlib.suppress(ConnectionResetError):
            await self.ws.send_bytes(bytes([channel]) + data)

    async def run(self) -> None:
        """Start the command, pump its output, then report the exit code; the client's frames feed stdin."""
        argv, env = prepare_command(self.req.argv, self.target)
        try:
            self.proc = await asyncio.create_subprocess_exec(
                *argv,
                env=env,
                stdin=asyncio.subprocess.PIPE if self.req.stdin else asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            await self._start_failed(argv, exc)
            return
        self.procs.add(self.proc)
        reader = asyncio.ensure_future(self._read_client())
        try:
            assert self.proc.stdout is not None and self.proc.stderr is not None
            err_channel = STDOUT if self.req.tty else STDERR
            await asyncio.gather(
                self._pump(self.proc.stdout, STDOUT, self.req.stdout),
                self._pump(self.proc.stderr, err_channel, self.req.stderr or self.req.tty),
            )
            code = await self.proc.wait()
        finally:
            self.procs.discard(self.proc)
            if self.proc.returncode is None:
                self.proc.kill()
                await self.proc.wait()
        await self._finish(argv, 128 - code if code < 0 else code)
        reader.cancel()

    async def _start_failed(self, argv: list[str], exc: OSError) -> None:
        """What containerd/runc says when the binary is missing (127) or not executable (126)."""
        missing = isinstance(exc, FileNotFoundError)
        why = "executable file not found in $PATH" if missing else exc.strerror or str(exc)
        text = (
            f'OCI runtime exec failed: exec failed: unable to start container process: exec: "{argv[0]}": '
            f"{why}: unknown\n"
        )
        if self.req.stderr or self.req.tty:
            await self.send(STDOUT if self.req.tty else STDERR, text.encode())
        await self._finish(argv, 127 if missing else 126)

    async def _finish(self, argv: list[str], code: int) -> None:
        await self.send(STATUS, json.dumps(exit_status(argv, code)).encode())
        await self.ws.close()

    async def _pump(self, stream: asyncio.StreamReader, channel: int, forward: bool) -> None:
        while True:
            data = await stream.read(_CHUNK)
            if not data:
                return
            if forward:
                await self.send(channel, data)

    async def _read_client(self) -> None:
        """Client frames: stdin data, v5 close-stdin signal, resize (ignored: no pty here)."""
        async for msg in self.ws:
            if msg.type not in (WSMsgType.BINARY, WSMsgType.TEXT) or not msg.data:
                continue
            data = msg.data.encode() if msg.type == WSMsgType.TEXT else msg.data  # the Python client sends str as TEXT
            channel, payload = data[0], data[1:]
            stdin = self.proc.stdin if self.proc else None
            try:
                if channel == STDIN and stdin is not None and payload:
                    stdin.write(payload)
                    await stdin.drain()
                elif channel == CLOSE and payload[:1] == bytes([STDIN]) and stdin is not None:
                    stdin.close()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the command exited before reading all its input
        # the client went away: stop the command like kubelet does when the stream breaks
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()


async def serve_exec(
    request: web.Request, req: ExecRequest, target: ExecTarget | None, procs: set[asyncio.subprocess.Process]
) -> web.WebSocketResponse:
    """Upgrade (the caller has already authorised and validated) and run the session to the end."""
    ws = web.WebSocketResponse(protocols=PROTOCOLS, autoping=True, max_msg_size=0)
    await ws.prepare(request)
    await ExecSession(ws, req, target, procs).run()
    return ws
