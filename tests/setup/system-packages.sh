#!/usr/bin/env bash
# What the suite needs from the system, installed by `make test` itself: Debian's PostgreSQL for
# the hub's PostgreSQL tests; OpenSSH's server and client, and tmux, for the SSH route's tests
# (a real sshd, the real ssh client in a real terminal); Debian's chromium and a CJK font for the
# browser tests (the workstation served by `agent-tui web`; without the font Chinese renders as
# boxes). A machine where a package cannot be had gets a loud notice, and the tests that need it
# skip with the reason; everything else still runs.
set -u
have_postgres() { compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; }
have_chromium() { [ -x /usr/bin/chromium ]; }
have_cjk_font() { [ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; }

missing=()     # Debian packages to install
skipped=()     # what skips if they cannot be had
have_postgres || { missing+=(postgresql); skipped+=("the PostgreSQL-marked hub tests"); }
[ -x /usr/sbin/sshd ] || { missing+=(openssh-server); skipped+=("the SSH route's tests"); }
command -v ssh > /dev/null || { missing+=(openssh-client); skipped+=("the SSH route's tests"); }
command -v tmux > /dev/null || { missing+=(tmux); skipped+=("the SSH route's tests"); }
have_chromium || { missing+=(chromium); skipped+=("the browser-marked tests"); }
have_cjk_font || { missing+=(fonts-wqy-zenhei); skipped+=("the browser-marked tests"); }

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo > /dev/null && sudo -n true 2> /dev/null; then
    SUDO="sudo -n"
fi
if [ ${#missing[@]} -gt 0 ]; then
    what="$(printf '%s\n' "${skipped[@]}" | sort -u | paste -sd, -)"
    if [ "$(id -u)" != "0" ] && [ -z "$SUDO" ]; then
        echo "!!! ${missing[*]} not installed and this user cannot install them (not root, no sudo):" >&2
        echo "!!! ${what} will be SKIPPED." >&2
        exit 0
    fi
    echo "Installing Debian's ${missing[*]} for the tests (apt-get)..." >&2
    # apt-get update first: a fresh container has no package lists. Wait for a dpkg lock another
    # install holds rather than fail on it.
    if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
            -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" > /dev/null; }; then
        echo "!!! apt-get could not install ${missing[*]}: ${what} will be SKIPPED." >&2
    fi
fi
# sshd will not start without its privilege-separation folder (the package's service makes it).
if [ -x /usr/sbin/sshd ] && [ ! -d /run/sshd ]; then
    $SUDO mkdir -p /run/sshd 2> /dev/null || true
fi
exit 0
