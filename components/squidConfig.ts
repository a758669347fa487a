/**
 * The egress proxy's Squid config, generated from `egress.mode` and `egress.allow`. Only http
 * and CONNECT to 443 leave; every request is logged to stdout (`docker logs llpm-<stack>-egress`),
 * refusals as TCP_DENIED/403. No cache: the proxy only decides and forwards.
 */
import type { FleetConfig } from "../config/fleetConfig";

export const EGRESS_PROXY_PORT = 3128;

/** Squid refuses a list holding both a domain and one of its subdomains: keep the widest entry. */
export function squidDomains(allow: string[]): string[] {
  const unique = [...new Set(allow)];
  return unique.filter(
    (entry) => !unique.some((other) => other !== entry && other.startsWith(".") && `.${entry.replace(/^\./, "")}`.endsWith(other)),
  );
}

export function squidConfig(config: FleetConfig): string {
  const allowRule =
    config.egress.mode === "open"
      ? ["http_access allow all"]
      : config.egress.allow.length > 0
        ? [`acl llpm_allowed dstdomain ${squidDomains(config.egress.allow).join(" ")}`, "http_access allow llpm_allowed", "http_access deny all"]
        : ["http_access deny all"];
  return [
    `http_port ${EGRESS_PROXY_PORT}`,
    "acl SSL_ports port 443",
    "acl Safe_ports port 80 443",
    "acl CONNECT method CONNECT",
    "http_access deny !Safe_ports",
    "http_access deny CONNECT !SSL_ports",
    ...allowRule,
    "cache deny all",
    "cache_mem 8 MB",
    "access_log stdio:/dev/stdout",
    "cache_log /dev/stderr",
    "cache_store_log none",
    "logfile_rotate 0",
    "pid_filename none",
    "netdb_filename none",
    "coredump_dir /tmp",
    // Agents' addresses are theirs to know; the upstream need not learn them.
    "forwarded_for delete",
    "via off",
    "",
  ].join("\n");
}
