"""Pod logs as the kubelet serves them (timestamps, sinceTime, sinceSeconds, tailLines, limitBytes, previous), a
running sandbox's log growing and its container restarting, and the request (audit) log.

Expectations are literals: stamps written into the scenario text, the kubelet's fixed nine-digit format, the API
server's validation messages as `ValidatePodLogOptions` words them.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ovn_lsp_sandbox.apiserver import start_in_thread
from ovn_lsp_sandbox.apiserver.fixtures import sample_config
from ovn_lsp_sandbox.apiserver.runner import ServerHandle
from tests.sandboxes import Sandbox

pytestmark = pytest.mark.clock  # stamps relative to now (sinceSeconds, appended lines)

TOKEN = "sandbox-token"
POD = "/api/v1/namespaces/kube-system/pods/kube-ovn-controller-5c4f7-x2k9q"
LOG = (
    "2026-03-01T10:00:00.250000000Z I0301 10:00:00.250000 1 controller.go:100] started\n"
    "2026-03-01T10:00:01.5Z I0301 10:00:01.500000 1 gc.go:476] lsp lost for pod a.ns, please delete the pod and retry\n"
    "2026-03-01T10:00:01.9Z I0301 10:00:01.900000 1 gc.go:476] lsp lost for pod b.ns, please delete the pod and retry\n"
    "a line without any stamp\n"
    "2026-03-01T10:00:03Z I0301 10:00:03.000000 1 gc.go:436] gc logical switch port c.ns\n"
)
STAMPS = [
    "2026-03-01T10:00:00.250000000Z",
    "2026-03-01T10:00:01.500000000Z",
    "2026-03-01T10:00:01.900000000Z",
    "2026-03-01T10:00:01.900000000Z",  # no stamp of its own: the line before's (a runtime never goes back)
    "2026-03-01T10:00:03.000000000Z",
]
TEXTS = [line.split(" ", 1)[1] + "\n" for line in LOG.splitlines()[:3]] + [
    "a line without any stamp\n",
    LOG.splitlines()[4].split(" ", 1)[1] + "\n",
]


@pytest.fixture(scope="module")
def server() -> Iterator[ServerHandle]:
    config = sample_config(token=TOKEN)
    now = datetime.now(timezone.utc)
    recent = [now - timedelta(seconds=3600), now - timedelta(seconds=30)]
    config["logs"] = {
        "kube-system/kube-ovn-controller-5c4f7-x2k9q": LOG,
        "kube-system/kube-ovn-controller-5c4f7-x2k9q/kube-ovn-controller/previous": "old container line\n",
        "kube-system/ovn-central-7d9f8": "".join(
            f"{when:%Y-%m-%dT%H:%M:%S.%fZ} I{when:%m%d %H:%M:%S} 1 x.go:1] {label}\n"
            for when, label in zip(recent, ("an hour ago", "half a minute ago"))
        ),
    }
    handle = start_in_thread(config)
    yield handle
    handle.stop()


def get(server: ServerHandle, path: str) -> tuple[int, str]:
    request = urllib.request.Request(server.url + path, headers={"Authorization": f"Bearer {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_timestamps_are_the_runtimes_in_the_kubelets_fixed_format(server: ServerHandle) -> None:
    status, body = get(server, POD + "/log?timestamps=true")
    assert status == 200
    assert body == "".join(f"{stamp} {text}" for stamp, text in zip(STAMPS, TEXTS))
    assert get(server, POD + "/log")[1] == "".join(TEXTS)  # without timestamps: the container's own text


def test_since_time_keeps_lines_at_or_after_it_in_whole_seconds(server: ServerHandle) -> None:
    # the API server forwards sinceTime to the kubelet with whole seconds: .7 is 10:00:01
    status, body = get(server, POD + "/log?timestamps=true&sinceTime=2026-03-01T10:00:01.700000000Z")
    assert status == 200
    assert [line.split(" ")[0] for line in body.splitlines()] == STAMPS[1:]
    assert get(server, POD + "/log?sinceTime=2026-03-01T10:00:02Z")[1] == TEXTS[4]
    assert get(server, POD + "/log?sinceTime=2026-03-01T11:00:00%2B01:00")[1] == "".join(TEXTS)  # zones count


def test_since_seconds_is_relative_to_now(server: ServerHandle) -> None:
    status, body = get(server, "/api/v1/namespaces/kube-system/pods/ovn-central-7d9f8/log?sinceSeconds=600")
    assert status == 200 and body.endswith("half a minute ago\n") and "an hour ago" not in body
    assert (
        "an hour ago" in get(server, "/api/v1/namespaces/kube-system/pods/ovn-central-7d9f8/log?sinceSeconds=7200")[1]
    )


def test_tail_lines_first_then_since_then_the_byte_limit(server: ServerHandle) -> None:
    assert get(server, POD + "/log?tailLines=2")[1] == "".join(TEXTS[3:])
    assert get(server, POD + "/log?tailLines=0")[1] == ""
    # the last 3 lines, of which sinceTime keeps the one at 10:00:03
    assert get(server, POD + "/log?tailLines=3&sinceTime=2026-03-01T10:00:02Z")[1] == TEXTS[4]
    # limitBytes counts the stamp prefix and may cut a line
    assert get(server, POD + "/log?timestamps=true&limitBytes=40")[1] == f"{STAMPS[0]} {TEXTS[0]}"[:40]
    assert get(server, POD + "/log?limitBytes=5")[1] == TEXTS[0][:5]


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        (
            "tailLines=-1",
            422,
            'PodLogOptions "kube-ovn-controller-5c4f7-x2k9q" is invalid: tailLines: Invalid value: -1: '
            "must be greater than or equal to 0",
        ),
        (
            "limitBytes=0",
            422,
            'PodLogOptions "kube-ovn-controller-5c4f7-x2k9q" is invalid: limitBytes: Invalid value: 0: '
            "must be greater than 0",
        ),
        (
            "sinceSeconds=0",
            422,
            'PodLogOptions "kube-ovn-controller-5c4f7-x2k9q" is invalid: sinceSeconds: Invalid value: 0: '
            "must be greater than 0",
        ),
        (
            "sinceSeconds=5&sinceTime=2026-03-01T10:00:02Z",
            422,
            'PodLogOptions "kube-ovn-controller-5c4f7-x2k9q" is invalid: : Forbidden: at most one of `sinceTime` '
            "or `sinceSeconds` may be specified",
        ),
        ("tailLines=x", 400, 'strconv.ParseInt: parsing "x": invalid syntax'),
        ("timestamps=yes", 400, 'strconv.ParseBool: parsing "yes": invalid syntax'),
    ],
)
def test_invalid_options_are_refused_as_the_api_server_refuses_them(
    server: ServerHandle, query: str, code: int, message: str
) -> None:
    status, body = get(server, POD + "/log?" + query)
    document = json.loads(body)
    assert (status, document["code"], document["message"]) == (code, code, message)
    assert document["reason"] == ("Invalid" if code == 422 else "BadRequest")


def test_previous_log(server: ServerHandle) -> None:
    assert get(server, POD + "/log?previous=true")[1] == "old container line\n"
    status, body = get(server, "/api/v1/namespaces/kube-system/pods/ovn-central-7d9f8/log?previous=true")
    assert status == 400
    assert (
        json.loads(body)["message"]
        == 'previous terminated container "ovn-central" in pod "ovn-central-7d9f8" not found'
    )


# -- a running sandbox: its log grows, its container restarts, every request is in the audit log ---------------

CONTROLLER = "kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A private triage-gc-lines sandbox: these tests change it."""
    from ovn_lsp_sandbox import runtime
    from ovn_lsp_sandbox.scenario_load import load_scenario

    directory = tmp_path_factory.mktemp("sb-live-logs")
    state = runtime.start(load_scenario("triage-gc-lines"), directory)
    yield Sandbox("triage-gc-lines", directory, state)
    runtime.stop(directory)


def test_a_line_appended_while_running_is_served_with_the_append_time(live: Sandbox) -> None:
    from ovn_lsp_sandbox import live as node

    before = live.kubectl("logs", "-n", "kube-system", CONTROLLER.split("/")[1], "--timestamps")
    assert before.returncode == 0, before.stderr
    last = before.stdout.splitlines()[-1]
    # the scenario's last line (E1127 10:06:00.120002, 54 minutes before authoredAt, moved to the sandbox start
    # like every scenario time) is stamped with its klog instant
    moved = datetime.fromisoformat(live.at("2026-11-27T10:06:00Z").replace("Z", "+00:00"))
    assert last.startswith(f"{moved:%Y-%m-%dT%H:%M:%S}.120002000Z E{moved:%m%d %H:%M:%S}.120002 ")
    at = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=1)
    line = (
        f"E{at:%m%d %H:%M:%S}.000001       1 gc.go:476] lsp lost for pod web-5f7c.app, please delete the pod and retry"
    )
    node.append_log(live.dir, CONTROLLER, [line], now=at)
    after = live.kubectl("logs", "-n", "kube-system", CONTROLLER.split("/")[1], "--timestamps")
    assert after.stdout == before.stdout + f"{at:%Y-%m-%dT%H:%M:%S}.000000000Z {line}\n"
    since = live.kubectl("logs", "-n", "kube-system", CONTROLLER.split("/")[1], f"--since-time={at:%Y-%m-%dT%H:%M:%SZ}")
    assert since.stdout == line + "\n"


def test_a_restart_rotates_the_log_and_shows_in_the_pod_status(live: Sandbox) -> None:
    from ovn_lsp_sandbox import live as node

    pod = CONTROLLER.split("/")[1]
    before = live.kubectl("logs", "-n", "kube-system", pod).stdout
    status = json.loads(live.kubectl("get", "pod", "-n", "kube-system", pod, "-o", "json").stdout)
    assert status["status"]["containerStatuses"][0]["restartCount"] == 0
    assert live.kubectl("logs", "-n", "kube-system", pod, "-p").returncode == 1  # no previous container yet
    assert node.restart_container(live.dir, CONTROLLER) == 1
    pod_now = json.loads(live.kubectl("get", "pod", "-n", "kube-system", pod, "-o", "json").stdout)
    container = pod_now["status"]["containerStatuses"][0]
    assert container["restartCount"] == 1 and "terminated" in container["lastState"]
    assert int(pod_now["metadata"]["resourceVersion"]) > int(status["metadata"]["resourceVersion"])
    assert live.kubectl("logs", "-n", "kube-system", pod, "-p").stdout == before
    assert live.kubectl("logs", "-n", "kube-system", pod).stdout == ""
    node.append_log(live.dir, CONTROLLER, ["I0101 00:00:00.000000 1 controller.go:1] started again"])
    assert (
        live.kubectl("logs", "-n", "kube-system", pod).stdout
        == "I0101 00:00:00.000000 1 controller.go:1] started again\n"
    )


def test_the_audit_log_records_verb_resource_and_namespace_of_each_request(live: Sandbox) -> None:
    pod = CONTROLLER.split("/")[1]
    assert live.kubectl("get", "pods", "-n", "kube-system", "-l", "app=kube-ovn-controller").returncode == 0
    assert live.kubectl("logs", "-n", "kube-system", pod, "--tail=1").returncode == 0
    events = [json.loads(line) for line in Path(live.dir / "audit.log").read_text().splitlines()]
    seen = {
        (
            e["verb"],
            e["objectRef"].get("resource"),
            e["objectRef"].get("subresource", ""),
            e["objectRef"].get("namespace", ""),
        )
        for e in events
        if "objectRef" in e
    }
    assert ("list", "pods", "", "kube-system") in seen
    assert ("get", "pods", "log", "kube-system") in seen
    assert all(e["kind"] == "Event" and e["apiVersion"] == "audit.k8s.io/v1" for e in events)
    log_event = next(e for e in events if "objectRef" in e and e["objectRef"].get("subresource") == "log")
    assert log_event["responseStatus"]["code"] == 200 and log_event["requestURI"].startswith(
        f"/api/v1/namespaces/kube-system/pods/{pod}/log?"
    )
