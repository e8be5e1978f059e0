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
npm test
