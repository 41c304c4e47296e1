"""Start the bundled plugin: put lib/common and the compiled packages for this Python on sys.path, then run.

Run by the archive's launchers as `python3 -I -S lib/launch.py plugin|complete ARGS…`. Written for any
python3 so that a too old or too new interpreter gets one clear `error:` line instead of a traceback.
"""

import os
import sys

# kubectl_ovn_lsp/cli/entry.OUT_OF_MEMORY (a test keeps them equal), for when not even that module can be loaded
OUT_OF_MEMORY = (
    "error: out of memory: the command needs more memory than this process may use (ulimit -v, a cgroup limit)\n"
)


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
    try:
        from kubectl_ovn_lsp.cli import entry as plugin
    except MemoryError:  # the entry module is what maps every later failure to one line; it could not load
        if entry == "complete":
            sys.stdout.write(":4\n")
            return 0
        sys.stderr.write(OUT_OF_MEMORY)
        return 1
    return plugin.complete() if entry == "complete" else plugin.main()


if __name__ == "__main__":
    raise SystemExit(main())
