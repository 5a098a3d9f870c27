#!/usr/bin/env bash
# What `make test` needs besides Python packages, set up when missing: Chromium (with its
# German locale files, for the browser tests) and gettext (msgfmt) from Debian's packages,
# PostgreSQL and Redis on 127.0.0.1 started when they are down. As root it installs and
# starts them; otherwise it says exactly what to run and the tests needing them fail or skip.
set -euo pipefail

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
dpkg -s chromium-l10n >/dev/null 2>&1 || packages+=(chromium-l10n)
command -v msgfmt >/dev/null || packages+=(gettext)
if [ ${#packages[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "Installing ${packages[*]} (apt) for the browser tests and translations …" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${packages[@]}" >/dev/null
    else
        echo "Missing for the browser tests and translations: run" >&2
        echo "    sudo apt-get install ${packages[*]}" >&2
    fi
fi

if ! command -v pg_isready >/dev/null; then
    echo "PostgreSQL is not installed: sudo apt-get install postgresql (then start it)." >&2
elif ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    if [ "$(id -u)" = 0 ] && [ -d /etc/postgresql ]; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
        for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
    else
        echo "PostgreSQL does not answer on 127.0.0.1:5432: start it (sudo pg_ctlcluster <version> main start)." >&2
    fi
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    if command -v redis-server >/dev/null; then
        redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
        for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
    else
        echo "Redis does not answer on 127.0.0.1:6379: install and start it (sudo apt-get install redis-server)." >&2
    fi
fi
