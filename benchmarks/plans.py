"""Floor plans: the requests one plugin command made, read from its own `-v` trace, for `floor.py` to replay.

The plugin traces every API request (`I kube: GET <url> <status> <ms>`) and every exec (`I kube: EXEC ns/pod -c
container -- argv`); a direct NB read is traced as `I nb: …`. A plan keeps the same paths, queries and order;
the pages of a paged list become one step that follows `continue` (the tokens are the server's, so they are
fetched again, not copied). The NB step of a `--nb tcp:` plan sends the transaction the exec path's
`ovsdb-client query` carries (the same selection), to the same remote.
Credentials come from the kubeconfig's current context (token and certificates; an exec or OIDC plugin is the
plugin's own work, not the floor's).
"""

from __future__ import annotations

import base64
import json
import shlex
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

import yaml

OK = (0, 3, 4, 5, 6)


def trace(argv: list[str], env: dict[str, str]) -> list[str]:
    """The `I kube:`/`I nb:` lines of one run of argv with `-v` appended."""
    proc = subprocess.run(argv + ["-v"], env=env, capture_output=True, text=True)
    if proc.returncode not in OK:
        raise SystemExit(f"{' '.join(argv)} -v exited {proc.returncode}: {proc.stderr[-400:]}")
    return [line for line in proc.stderr.splitlines() if line.startswith(("I kube: ", "I nb: "))]


def steps_of(lines: list[str], nb_txn: list | None = None, nb_remote: str | None = None) -> list[dict]:
    """Plan steps from trace lines (see the module docstring)."""
    steps: list[dict] = []
    for line in lines:
        if line.startswith("I kube: GET "):
            url = urllib.parse.urlsplit(line.split()[3])
            query = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
            if any(k == "continue" for k, _ in query):
                continue  # a later page of the list the previous step follows
            steps.append(
                {"kind": "get", "path": url.path, "query": query, "paged": any(k == "limit" for k, _ in query)}
            )
        elif line.startswith("I kube: EXEC ") and " -- " in line:
            head, command = line[len("I kube: EXEC ") :].split(" -- ", 1)
            target, _, container = head.split()
            namespace, pod = target.split("/", 1)
            argv = shlex.split(command)
            query = [("command", a) for a in argv] + [("container", container), ("stdout", "true"), ("stderr", "true")]
            steps.append(
                {
                    "kind": "exec",
                    "path": f"/api/v1/namespaces/{namespace}/pods/{pod}/exec",
                    "query": query,
                    "argv": argv,
                }
            )
        elif line.startswith("I nb: ") and nb_txn is not None:
            steps.append({"kind": "nb", "remote": nb_remote, "txn": nb_txn})
    return steps


def exec_transaction(steps: list[dict]) -> list:
    """The OVSDB transaction of the plan's last `ovsdb-client query` (its last argument): the read itself, not the
    member probe (one row by the all-zero UUID, `--nb-member-timeout`) the exec path now runs before it."""
    argv = [s["argv"] for s in steps if s["kind"] == "exec"][-1]
    return json.loads(argv[-1])


def credentials(kubeconfig: str, workdir: Path) -> dict:
    """Server, headers and TLS files of the kubeconfig's current context (data fields written to `workdir`)."""
    config = yaml.safe_load(Path(kubeconfig).read_text())
    named = {
        kind: {i["name"]: i[kind[:-1]] for i in config.get(kind) or []} for kind in ("clusters", "users", "contexts")
    }
    context = named["contexts"][config["current-context"]]
    cluster, user = named["clusters"][context["cluster"]], named["users"].get(context.get("user"), {}) or {}

    def file_of(value: dict, key: str) -> str | None:
        if value.get(f"{key}-data"):
            path = workdir / key
            path.write_bytes(base64.b64decode(value[f"{key}-data"]))
            return str(path)
        return value.get(key)

    headers = {"User-Agent": "floor"}
    if user.get("token"):
        headers["Authorization"] = f"Bearer {user['token']}"
    return {
        "server": cluster["server"],
        "headers": headers,
        "ca": file_of(cluster, "certificate-authority"),
        "insecure": bool(cluster.get("insecure-skip-tls-verify")),
        "cert": file_of(user, "client-certificate"),
        "key": file_of(user, "client-key"),
    }


def write_plans(argv: list[str], env: dict[str, str], nb_remote: str, workdir: Path) -> dict[str, Path]:
    """Floor plans of `argv` (a plugin command line) via exec and via `--nb nb_remote`: {"exec": path, "tcp": path}.

    Both traces are taken now, so each plan is exactly what that command line requested."""
    creds = credentials(env["KUBECONFIG"], workdir)
    exec_steps = steps_of(trace(argv, env))
    tcp_steps = steps_of(trace(argv + ["--nb", nb_remote], env), exec_transaction(exec_steps), nb_remote)
    out = {}
    for name, steps in (("exec", exec_steps), ("tcp", tcp_steps)):
        path = workdir / f"plan-{name}.json"
        path.write_text(json.dumps({**creds, "steps": steps}))
        out[name] = path
    return out


def temp_workdir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="floor-")
