#!/usr/bin/env bash
# Adds the PEM text of EXTRA_CA_CERTIFICATES to the system trust store before anything talks
# https; at run time NODE_EXTRA_CA_CERTS, SSL_CERT_FILE and REQUESTS_CA_BUNDLE point at the result.
set -euo pipefail
if [[ -n "${EXTRA_CA_CERTIFICATES:-}" ]]; then
  # update-ca-certificates takes one certificate per file: split the bundle.
  mkdir -p /usr/local/share/ca-certificates/llpm-extra
  printf '%s\n' "$EXTRA_CA_CERTIFICATES" \
    | awk '/-----BEGIN CERTIFICATE-----/{n++; f=sprintf("/usr/local/share/ca-certificates/llpm-extra/extra-%03d.crt", n)} f{print > f} /-----END CERTIFICATE-----/{f=""}'
fi
update-ca-certificates
