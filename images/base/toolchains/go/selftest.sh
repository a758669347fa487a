#!/usr/bin/env bash
set -euo pipefail
cd "$(mktemp -d)"
export GOCACHE="$PWD/cache" GOFLAGS=-mod=mod
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello from go") }\n' >hello.go
go run hello.go | grep -qx 'hello from go'
