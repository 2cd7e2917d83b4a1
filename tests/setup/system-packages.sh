#!/usr/bin/env bash
# What the suite needs from the system, installed by `make test` itself: Debian's PostgreSQL for
# the hub's PostgreSQL tests. A machine where it cannot be had gets a loud notice, and those tests
# skip with the reason; everything else still runs.
set -u
have_postgres() { compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; }
if have_postgres; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo > /dev/null && sudo -n true 2> /dev/null; then SUDO="sudo -n"; else
        echo "!!! PostgreSQL is not installed and this user cannot install it (not root, no sudo):" >&2
        echo "!!! the PostgreSQL-marked hub tests will be SKIPPED." >&2
        exit 0
    fi
fi
echo "Installing Debian's postgresql for the hub tests (apt-get)..." >&2
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends postgresql > /dev/null; }; then
    echo "!!! apt-get could not install postgresql: the PostgreSQL-marked hub tests will be SKIPPED." >&2
fi
exit 0
