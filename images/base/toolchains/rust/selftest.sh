#!/usr/bin/env bash
set -euo pipefail
cd "$(mktemp -d)"
printf 'fn main() { println!("hello from rust"); }\n' >hello.rs
rustc -o hello hello.rs
./hello | grep -qx 'hello from rust'
