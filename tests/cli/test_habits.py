"""kubectl habits: bare command prints help, --no-headers prints rows only, every flag says its default,
`version` names the known releases, `reasons` lists every verdict and code, tables split into fixed fields."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys

from kubectl_ovn_lsp.cli.main import HelpFormatter, build_parser
from kubectl_ovn_lsp.model.reasons import REASONS
from kubectl_ovn_lsp.model.releases import known_releases
from kubectl_ovn_lsp.model.verdicts import VERDICTS
from kubectl_ovn_lsp.model.versions import Version
from tests.cli.test_complete import _all_parsers
from tests.sandboxes import Sandbox, run_plugin


def test_bare_command_prints_help_and_exits_0(tc4: Sandbox) -> None:
    proc = run_plugin(tc4)
    assert proc.returncode == 0 and proc.stdout.startswith("usage: kubectl ovn-lsp") and proc.stderr == ""
    assert "explain" in proc.stdout and "reasons" in proc.stdout


def test_every_flag_has_help_with_its_default() -> None:
    missing = []
    for path, parser in _all_parsers(build_parser()):
        formatter = HelpFormatter(parser.prog)
        for action in parser._actions:
            if not action.option_strings or isinstance(action, argparse._HelpAction):
                continue
            text = formatter._get_help_string(action) or ""
            if not action.help or ("default" not in text and action.default is not argparse.SUPPRESS):
                missing.append(f"{path}: {action.option_strings[-1]}")
    assert missing == []


def test_version_names_the_plugin_and_the_known_releases(tc4: Sandbox) -> None:
    from kubectl_ovn_lsp import __version__

    out = run_plugin(tc4, "version").stdout
    assert out.splitlines()[0] == f"kubectl ovn-lsp v{__version__}"
    tags = [v for v in known_releases() if v != Version(1, 17, 0)]  # master's number
    assert f"{tags[0]} to {tags[-1]} ({len(tags)} tags)" in out and "  F  v1.13.0–v1.13.5" in out
    assert run_plugin(tc4, "--version").stdout == out


def test_version_as_json_and_yaml_is_the_text_as_data_with_python(tc4: Sandbox) -> None:
    """`kubectl version -o json|yaml` exists; so does ours: the plugin's version, the interpreter's, and the
    release bands the text prints (README "Usage", docs/contracts.md "version")."""
    import yaml

    text = run_plugin(tc4, "version").stdout.splitlines()
    python = subprocess.run(
        [sys.executable, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    as_json = run_plugin(tc4, "version", "-o", "json")
    as_yaml = run_plugin(tc4, "version", "-o", "yaml")
    assert as_json.returncode == as_yaml.returncode == 0 and as_json.stderr == as_yaml.stderr == ""
    document = json.loads(as_json.stdout)
    assert yaml.safe_load(as_yaml.stdout) == document
    assert list(document) == ["plugin", "python", "kubeOvn"] and document["plugin"] == "0.1.0"
    assert document["python"] == python and text[0] == "kubectl ovn-lsp v0.1.0"
    releases = document["kubeOvn"]
    assert list(releases) == ["oldest", "newest", "tags", "master", "bands"] and releases["oldest"] == "v1.7.0"
    assert text[1] == (
        f"Kube-OVN releases known to the model: {releases['oldest']} to {releases['newest']} ({releases['tags']} "
        f"tags), and {releases['master']}; GC behaviour by band:"
    )
    assert [f"  {b['letter']}  {b['tags']}" for b in releases["bands"]] == text[2:]
    assert {"letter": "F", "tags": "v1.13.0–v1.13.5"} in releases["bands"]
    wide = run_plugin(tc4, "version", "-o", "wide")
    assert wide.returncode == 2 and wide.stderr.startswith("error: argument -o/--output: invalid choice: 'wide'")


def test_reasons_lists_every_verdict_and_code_once(tc4: Sandbox) -> None:
    proc = run_plugin(tc4, "reasons")
    assert proc.returncode == 0
    first_words = [line.split()[0] for line in proc.stdout.splitlines() if line.strip()]
    for name in [v.name for v in VERDICTS] + [r.code for r in REASONS]:
        assert first_words.count(name) == 1, name
    document = json.loads(run_plugin(tc4, "reasons", "-o", "json").stdout)
    assert [r["code"] for r in document["reasons"]] == [r.code for r in REASONS]


def test_no_headers_prints_one_row_per_port_only(tc4: Sandbox) -> None:
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "--no-headers")
    assert proc.returncode == 4
    rows = proc.stdout.splitlines()
    assert [r.split()[0] for r in rows] == ["vm-a.test-ns", "vm-a.test-ns.subnet-a.test-ns.ovn"]
    assert all(len(r.split()) == 6 for r in rows)


def _cells(header: str, row: str) -> list[str]:
    """Cut a table row at the header's column starts (columns are 2+ spaces apart; names may hold one space)."""
    import re

    starts = [0] + [m.start() for m in re.finditer(r"(?<=  )\S", header) if header[m.start() - 1] == " "]
    starts = [s for i, s in enumerate(starts) if i == 0 or header[s - 2 : s] == "  "]
    return [row[a:b].strip() for a, b in zip(starts, starts[1:] + [len(row)])]


def test_wide_rows_have_spaces_only_in_the_last_column(tc4: Sandbox) -> None:
    out = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "-o", "wide").stdout.splitlines()
    at = next(i for i, line in enumerate(out) if line.startswith("NAME"))
    header, rows = out[at], out[at + 1 : at + 3]
    assert header.split("  ")[0] == "NAME" and "ADDRESSES" in header
    for row in rows:
        cells = _cells(header, row)
        assert all(cell and " " not in cell for cell in cells[:-1]), cells
    assert "00:00:00:9B:3D:E1,172.20.0.5" in "\n".join(rows)
    bare = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "-o", "wide", "--no-headers").stdout.splitlines()
    columns = len(re.split(r"\s{2,}", header.strip()))  # headers may hold a space ("IN NB"), cells never do
    # every column but the last (DETAIL, free text) is one field, so awk's $1…$(N-1) are the same columns
    assert len(bare) == 2 and {len(r.split(maxsplit=columns - 1)) for r in bare} == {columns}


def test_readme_table_is_the_reasons_command() -> None:
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "tools"))
    import readme_tables

    readme = (root / "README.md").read_text()
    assert readme_tables.render(readme) == readme, "README is stale: run python3 tools/readme_tables.py"


def test_every_judging_help_lists_every_exit_code_a_verdict_gives() -> None:
    """A new user's report: the helps' `exit codes:` block stopped at 6 while `leaked` exits 7. The block and
    README's table come from one list (cli/exit_status.EXIT_CODES); each verdict's code and word are checked
    against the verdict vocabulary (model/verdicts.py), the independent source."""
    from kubectl_ovn_lsp.cli.exit_status import EXIT_CODES

    verdict_codes = {v.exit_code: v.name for v in VERDICTS if v.exit_code > 2}
    assert verdict_codes == {3: "lost", 4: "false-positive", 5: "deletion-risk", 6: "degraded", 7: "leaked"}
    assert [code for code, _, _ in EXIT_CODES] == [0, 1, 2, 3, 4, 5, 6, 7]
    for code, text, row in EXIT_CODES:
        if code in verdict_codes:
            assert text.startswith(f"{verdict_codes[code]}: ") and row.startswith(f"`{verdict_codes[code]}`: ")
    for argv in ([], ["explain"], ["audit"], ["triage"]):
        proc = subprocess.run(
            [sys.executable, "-m", "kubectl_ovn_lsp", *argv, "--help"], capture_output=True, text=True, check=True
        )
        block = proc.stdout[proc.stdout.index("exit codes:\n") :].splitlines()[1:]
        assert [line.split()[0] for line in block] == ["0", "1", "2", "3", "4", "5", "6", "7"], argv
        assert block[-1] == "  7  leaked: an IP CR outlived its owner and no periodic GC collects it", argv
