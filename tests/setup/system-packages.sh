#!/usr/bin/env bash
# What the suite needs from the system, installed by `make test` itself: Debian's PostgreSQL for
# the hub's PostgreSQL tests; OpenSSH's server and client, and tmux, for the SSH route's tests
# (a real sshd, the real ssh client in a real terminal). A machine where they cannot be had gets
# a loud notice, and those tests skip with the reason; everything else still runs.
set -u
have_postgres() { compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; }
missing=()
have_postgres || missing+=(postgresql)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh > /dev/null || missing+=(openssh-client)
command -v tmux > /dev/null || missing+=(tmux)
if [ "${#missing[@]}" = "0" ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo > /dev/null && sudo -n true 2> /dev/null; then SUDO="sudo -n"; else
        echo "!!! ${missing[*]} not installed and this user cannot install them (not root, no sudo):" >&2
        echo "!!! the tests that need them (PostgreSQL-marked hub tests, the SSH route) will be SKIPPED." >&2
        exit 0
    fi
fi
echo "Installing Debian's ${missing[*]} for the tests (apt-get)..." >&2
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" > /dev/null; }; then
    echo "!!! apt-get could not install ${missing[*]}: the tests that need them will be SKIPPED." >&2
fi
# sshd will not start without its privilege-separation folder (the package's service makes it).
[ -x /usr/sbin/sshd ] && $SUDO mkdir -p /run/sshd
exit 0
