#!/usr/bin/env bash
# What the suite needs from the system, installed by `make test` itself: Debian's PostgreSQL for
# the hub's PostgreSQL tests; Debian's chromium and a CJK font for the browser tests (the
# workstation served by `agent-tui web`; without the font Chinese renders as boxes). A machine
# where a package cannot be had gets a loud notice, and the tests that need it skip with the
# reason; everything else still runs.
set -u
have_postgres() { compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; }
have_chromium() { [ -x /usr/bin/chromium ]; }
have_cjk_font() { [ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; }

missing=()     # Debian packages to install
skipped=()     # what skips if they cannot be had
have_postgres || { missing+=(postgresql); skipped+=("the PostgreSQL-marked hub tests"); }
have_chromium || { missing+=(chromium); skipped+=("the browser-marked tests"); }
have_cjk_font || { missing+=(fonts-wqy-zenhei); skipped+=("the browser-marked tests"); }
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
what="${skipped[*]}"
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo > /dev/null && sudo -n true 2> /dev/null; then SUDO="sudo -n"; else
        echo "!!! ${missing[*]} not installed and this user cannot install them (not root, no sudo):" >&2
        echo "!!! ${what} will be SKIPPED." >&2
        exit 0
    fi
fi
echo "Installing Debian's ${missing[*]} for the tests (apt-get)..." >&2
# apt-get update first: a fresh container has no package lists. Wait for a dpkg lock another
# install holds rather than fail on it.
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" > /dev/null; }; then
    echo "!!! apt-get could not install ${missing[*]}: ${what} will be SKIPPED." >&2
fi
exit 0
