#!/usr/bin/env bash
# Installs telegram-qr-auth the way a host app would, from the tarball `npm pack`
# makes of the repository, and runs this example's e2e test against it.
set -euo pipefail
cd "$(dirname "$0")/.."
pack_dir=$(mktemp -d)
trap 'rm -rf "$pack_dir"' EXIT
(cd ../.. && npm pack --silent --pack-destination "$pack_dir" >/dev/null)
npm ci --no-audit --no-fund
npm install --no-save --no-audit --no-fund "$pack_dir"/telegram-qr-auth-*.tgz
# The module shares Nest with its host (peerDependencies): exactly one copy of each shared package.
for shared in @nestjs/common @nestjs/core @nestjs/websockets @nestjs/platform-socket.io socket.io rxjs; do
  copies=$(find node_modules -path "*node_modules/$shared/package.json" | wc -l)
  if [ "$copies" != 1 ]; then
    echo "The host app has $copies copies of $shared (expected 1):" >&2
    find node_modules -path "*node_modules/$shared/package.json" >&2
    exit 1
  fi
done
npm test
