# Local stand-in for node:20-bookworm-slim: the debootstrap base plus the host's Node 20 and npm,
# with headers and a compiler so native modules (better-sqlite3) build from source.
FROM llpm-local/debian:bookworm
COPY host-ca.crt /usr/local/share/ca-certificates/host-ca.crt
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates python3 make g++ \
 && update-ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY node/bin/node /usr/local/bin/node
COPY node/lib/node_modules /usr/local/lib/node_modules
COPY node/include/node /usr/local/include/node
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home node
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt npm_config_nodedir=/usr/local
