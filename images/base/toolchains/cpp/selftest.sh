#!/usr/bin/env bash
set -euo pipefail
cd "$(mktemp -d)"
printf '#include <iostream>\nint main() { std::cout << "hello from c++" << std::endl; }\n' >hello.cpp
g++ -std=c++17 -o hello hello.cpp
./hello | grep -qx 'hello from c++'
