"""The exec stream: the frames of a `v5.channel.k8s.io` WebSocket, read by channel within the command's budget."""

from __future__ import annotations

from typing import Any

from kubectl_ovn_lsp.deadline import Deadline

CLOSE_CHANNEL = 255  # v5.channel.k8s.io: "the stream of channel N is closed"


def read_frames(client: Any, deadline: Deadline, what: str) -> dict[int, list[bytes]] | None:
    """Every frame of the exec stream by channel, until the server closes it; None when the budget runs out.

    The kubernetes package's `run_forever` appends each frame to one growing string per channel, which costs
    quadratic copying for a large answer (~1.5 s for the 15 MB of a 50,000-port select); here frames are kept
    in lists and joined once. The v5 protocol's CLOSE channel (255) only says a stream ended.
    """
    from websocket import ABNF, WebSocketTimeoutException

    channels: dict[int, list[bytes]] = {}
    while True:
        client.sock.sock.settimeout(deadline.timeout(what))  # raises Timeout once the budget is spent
        try:
            op_code, frame = client.sock.recv_data_frame(True)
        except WebSocketTimeoutException:
            return None
        except OSError as exc:  # socket.timeout is an OSError
            if "timed out" in str(exc):
                return None
            raise
        if op_code == ABNF.OPCODE_CLOSE:
            return channels
        if op_code in (ABNF.OPCODE_BINARY, ABNF.OPCODE_TEXT) and len(frame.data) > 1:
            data = frame.data if isinstance(frame.data, bytes) else frame.data.encode()
            if data[0] != CLOSE_CHANNEL:
                channels.setdefault(data[0], []).append(data[1:])


def join_channel(channels: dict[int, list[bytes]], channel: int) -> str:
    """One channel's text; its frames are released as soon as they are joined (a large answer is held twice at
    most, never three times)."""
    joined = b"".join(channels.pop(channel, []))
    return joined.decode("utf-8", "replace")
