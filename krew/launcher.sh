#!/bin/sh
# Launcher in the krew archive: runs the bundled plugin (lib/) with the host's python3, isolated (-I -S) from
# the host's site-packages. krew links it into ~/.krew/bin, so it resolves its own symlinks first, portably:
# plain `readlink` in a loop, because `readlink -f` is missing on older macOS.
self=$0
while [ -h "$self" ]; do
  link=$(readlink "$self")
  case $link in
    /*) self=$link ;;
    *) self=$(dirname "$self")/$link ;;
  esac
done
here=$(cd "$(dirname "$self")" && pwd -P)
KUBECTL_OVN_LSP_EXECUTABLE=$0
export KUBECTL_OVN_LSP_EXECUTABLE
exec "${KUBECTL_OVN_LSP_PYTHON:-python3}" -I -S "$here/lib/launch.py" @ENTRY@ "$@"
