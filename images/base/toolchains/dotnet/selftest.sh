#!/usr/bin/env bash
set -euo pipefail
cd "$(mktemp -d)"
export DOTNET_CLI_HOME="$PWD" NUGET_PACKAGES="$PWD/nuget"
dotnet new console --name hello --output . >/dev/null
sed -i 's/Hello, World!/hello from dotnet/' Program.cs
dotnet run | grep -qx 'hello from dotnet'
