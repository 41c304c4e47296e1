"""Start the bundled plugin: put lib/common and the compiled packages for this Python on sys.path, then run.

Run by the archive's launchers as `python3 -I -S lib/launch.py plugin|complete ARGS…`. Written for any
python3 so that a too old or too new interpreter gets one clear `error:` line instead of a traceback.
"""

import os
import sys


def main():
    lib = os.path.dirname(os.path.abspath(__file__))
    entry = sys.argv.pop(1) if len(sys.argv) > 1 else "plugin"
    tag = "cp%d%d" % sys.version_info[:2]
    compiled = os.path.join(lib, tag)
    if not os.path.isdir(compiled):
        built = sorted(d[2] + "." + d[3:] for d in os.listdir(lib) if d.startswith("cp"))
        if entry == "complete":
            sys.stdout.write(":4\n")
            return 0
        sys.stderr.write(
            "error: this kubectl ovn-lsp build runs on Python %s, but %s is Python %d.%d; "
            "set KUBECTL_OVN_LSP_PYTHON to such an interpreter\n"
            % (", ".join(built), sys.executable or "python3", sys.version_info[0], sys.version_info[1])
        )
        return 1
    sys.path[:0] = [compiled, os.path.join(lib, "common")]
    if entry == "complete":
        from kubectl_ovn_lsp.cli.complete import main as run
    else:
        from kubectl_ovn_lsp.cli.main import main as run
    return run()


if __name__ == "__main__":
    raise SystemExit(main())
