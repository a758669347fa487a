#!/usr/bin/env bash
# Rust by rustup (pinned rustup-init, checked; rustup verifies the toolchain it fetches), with
# rustfmt, clippy and rust-analyzer. CARGO_HOME/RUSTUP_HOME come from the Dockerfile.
set -euo pipefail
rustup_version=1.28.2
toolchain=1.95.0
case "$(dpkg --print-architecture)" in
  amd64) target=x86_64-unknown-linux-gnu sha256=20a06e644b0d9bd2fbdbfd52d42540bdde820ea7df86e92e533c073da0cdd43c ;;
  arm64) target=aarch64-unknown-linux-gnu sha256=e3853c5a252fca15252d07cb23a1bdd9377a8c6f3efa01531109281ae47f841c ;;
  *) echo "no Rust build for $(dpkg --print-architecture)" >&2; exit 1 ;;
esac
"$(dirname "$0")/../apt-install.sh" gcc libc6-dev
init="$(mktemp)"
"$(dirname "$0")/../fetch-verified.sh" "https://static.rust-lang.org/rustup/archive/${rustup_version}/${target}/rustup-init" "$sha256" "$init"
chmod +x "$init"
"$init" -y --no-modify-path --profile minimal --default-toolchain "$toolchain" \
  --component rustfmt --component clippy --component rust-analyzer
rm -f "$init"
# The agent user builds with this toolchain and caches crates in its own home.
chmod -R a+rX "$RUSTUP_HOME" "$CARGO_HOME"
