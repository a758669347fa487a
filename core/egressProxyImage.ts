/**
 * What running images/egress-proxy takes on either backend: the variable its entrypoint writes
 * Squid's config from, the user it runs as, and a health command that asks Squid a whole request.
 */
import { EGRESS_PROXY_PORT } from "../contract/ports";

/** The image's entrypoint writes the config from this variable onto its tmpfs and starts Squid on it. */
export const SQUID_CONFIG_ENV = "LLPM_EGRESS_SQUID_CONFIG";

/** Debian's `proxy` user, which the Squid package runs as; Kubernetes needs the numbers to check it is not root. */
export const EGRESS_PROXY_USER = { name: "proxy", uid: 13, gid: 13 };

/** Squid's config (/tmp/squid.conf) lives on this small tmpfs under a read-only root. */
export const EGRESS_PROXY_TMPFS_BYTES = 16 * 1024 * 1024;

/**
 * Run inside the container, so from loopback: Squid answers it with an unlogged 403 (squidConfig.ts),
 * proving it serves requests. A bare connect would do less and be logged as
 * transaction-end-before-headers every time.
 */
export const EGRESS_PROXY_HEALTH_COMMAND = [
  "bash",
  "-c",
  [
    `exec 3<>/dev/tcp/127.0.0.1/${EGRESS_PROXY_PORT}`,
    "printf 'HEAD http://llpm-healthcheck/ HTTP/1.0\\r\\n\\r\\n' >&3",
    "read -r -t 5 status <&3",
    '[[ "$status" == HTTP/* ]]',
  ].join(" && "),
];
