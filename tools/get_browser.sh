#!/usr/bin/env bash
# Give the browser test a Chromium, or say plainly what to do (called by `make test-browser`).
# 1. Debian's chromium package, when it is already there or apt-get can install it (as root,
#    or through sudo when sudo needs no password);
# 2. else Playwright's own Chromium download (`python -m playwright install chromium`);
# 3. else a message with the commands to run, and exit 1.
set -u
PY="${1:-.venv/bin/python}"
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    SUDO="no"
  fi
  if [ "$SUDO" != "no" ]; then
    echo "Installing Debian's chromium for the browser test (apt-get) ..."
    if $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        $SUDO apt-get install -y -qq chromium >/dev/null; then
      exit 0
    fi
    echo "apt-get could not install chromium."
  fi
fi
echo "Trying Playwright's own Chromium (a download) ..."
if "$PY" -m playwright install chromium; then
  exit 0
fi
cat >&2 <<'MSG'
The browser test needs Chromium, and none could be installed here.
  On Debian or Ubuntu:  sudo apt-get install chromium
  Elsewhere (needs internet):  .venv/bin/python -m playwright install chromium
Then run `make test` again. `make test-unit` and `make test-notebooks` need no browser.
MSG
exit 1
