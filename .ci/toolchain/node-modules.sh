#!/usr/bin/env bash
# The locked npm dependencies of the project and its broker (`npm ci`, whose postinstall installs
# the broker's), cached outside the clone by the two lockfiles and the Node version: better-sqlite3
# has no prebuilt binary offline, so a cold install compiles it (minutes on two cores), and a warm
# run copies the trees instead.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

key=$( (cat package-lock.json broker/package-lock.json; node --version) | sha256sum | cut -c1-16)
home=$LLPM_CACHE/node-modules/$key

if [[ -d $home/root && -d $home/broker ]]; then
  rm -rf node_modules broker/node_modules
  cp -a "$home/root" node_modules
  cp -a "$home/broker" broker/node_modules
  phase_done "node_modules $key restored from the cache"
  exit 0
fi

npm ci --no-audit --no-fund
rm -rf "$home.tmp"
mkdir -p "$home.tmp"
cp -a node_modules "$home.tmp/root"
cp -a broker/node_modules "$home.tmp/broker"
# Only whole trees are ever in the cache: the rename is the last step.
mv "$home.tmp" "$home"
phase_done "node_modules $key installed and cached"
