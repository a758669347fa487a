/**
 * The egress proxy's Squid config, generated from `egress.mode` and `egress.allow`. Only http to
 * port 80 and CONNECT to 443 leave; every request is logged to stdout (`docker logs
 * llpm-<stack>-egress-proxy`), refusals as TCP_DENIED/403. No cache: the proxy only decides and
 * forwards.
 */
import { EGRESS_PROXY_PORT } from "../contract/ports";
import { AGENT_CATALOGUE, AGENT_TYPES } from "../catalogue/agentTypes";
import type { FleetConfig } from "../config/fleetConfig";

/** Squid sizes its tables by the fd limit; the container's nofile ulimit is the same number. */
export const EGRESS_PROXY_MAX_FILES = 4096;

/**
 * Where `open` mode still refuses to go: loopback, the private ranges (the host's Docker bridges,
 * the LAN) and link-local (cloud metadata services). In `allowlist` mode names decide: an allowed
 * company mirror may well sit on a private address.
 */
const PRIVATE_DESTINATIONS = ["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "::1", "fc00::/7", "fe80::/10"];

/** Squid refuses a list holding both a domain and one of its subdomains: keep the widest entry. */
export function squidDomains(allow: string[]): string[] {
  const unique = [...new Set(allow)];
  return unique.filter(
    (entry) => !unique.some((other) => other !== entry && other.startsWith(".") && `.${entry.replace(/^\./, "")}`.endsWith(other)),
  );
}

/**
 * What the proxy lets through in allowlist mode: `egress.allow`, plus in subscription mode the
 * provider hosts the running agent types' own logins need (catalogue `subscription.egressHosts`).
 */
export function proxyAllowlist(config: FleetConfig): string[] {
  const subscriptionHosts =
    config.authMode === "subscription"
      ? AGENT_TYPES.filter((t) => config.agents[t] > 0).flatMap((t) => AGENT_CATALOGUE[t].subscription?.egressHosts ?? [])
      : [];
  return [...new Set([...config.egress.allow, ...subscriptionHosts])];
}

function accessRules(config: FleetConfig): string[] {
  if (config.egress.mode === "open") {
    return [`acl llpm_private dst ${PRIVATE_DESTINATIONS.join(" ")}`, "http_access deny llpm_private", "http_access allow all"];
  }
  const allow = proxyAllowlist(config);
  if (allow.length === 0) return ["http_access deny all"];
  // -n: never match a reverse lookup of an IP address, whose PTR record its owner chooses.
  return [`acl llpm_allowed dstdomain -n ${squidDomains(allow).join(" ")}`, "http_access allow llpm_allowed", "http_access deny all"];
}

export function squidConfig(config: FleetConfig): string {
  return [
    `http_port ${EGRESS_PROXY_PORT}`,
    "visible_hostname llpm-egress-proxy",
    "acl SSL_ports port 443",
    "acl Safe_ports port 80 443",
    "acl CONNECT method CONNECT",
    // The container's own healthcheck asks from loopback: always refused, never logged, so it
    // proves Squid answers requests without adding a line every 30 s.
    "acl llpm_healthcheck src 127.0.0.1/32",
    "http_access deny llpm_healthcheck",
    "http_access deny !Safe_ports",
    "http_access deny CONNECT !SSL_ports",
    ...accessRules(config),
    "cache deny all",
    "cache_mem 8 MB",
    `max_filedescriptors ${EGRESS_PROXY_MAX_FILES}`,
    // The ICMP pinger needs a raw socket, which a container without capabilities cannot open.
    "pinger_enable off",
    "logformat llpm %tl %>a %Ss/%03>Hs %rm %ru %<a %<st",
    "access_log stdio:/dev/stdout logformat=llpm !llpm_healthcheck",
    "cache_log stdio:/dev/stderr",
    "cache_store_log none",
    "logfile_rotate 0",
    "pid_filename none",
    "netdb_filename none",
    "coredump_dir /tmp",
    "shutdown_lifetime 1 seconds",
    // Agents' addresses are theirs to know; the upstream need not learn them.
    "forwarded_for delete",
    "via off",
    "",
  ].join("\n");
}
