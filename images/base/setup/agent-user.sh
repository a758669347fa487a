#!/usr/bin/env bash
# The non-root `agent` user every container runs as, with the deploying user's uid/gid so files
# written in /workspace stay editable on the host. Root (0) is refused: agents never run as root.
set -euo pipefail
uid="$1" gid="$2"
if [[ "$uid" == 0 || "$gid" == 0 ]]; then
  echo "AGENT_UID/AGENT_GID must not be 0 (got $uid/$gid)" >&2
  exit 1
fi
# -o: the base image may already hold that id (ubuntu:24.04 ships `ubuntu` as 1000).
groupadd -o -g "$gid" agent
useradd -o -u "$uid" -g agent -m -d /home/agent -s /bin/bash agent
mkdir -p /workspace /home/agent/.local/bin /tmp/llpm-jobs
chown agent:agent /workspace /home/agent /home/agent/.local /home/agent/.local/bin /tmp/llpm-jobs
chmod 0700 /tmp/llpm-jobs
