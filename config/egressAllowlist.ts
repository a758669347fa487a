/**
 * The egress proxy's default allowlist: what the selected toolchains' package managers, the
 * distribution and git hosting need over http(s). No model provider is on it, by design: LiteLLM
 * (which has its own route out) is the agents' only model path.
 */

const LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
/**
 * An entry starting with "." is a domain with all its subdomains, and needs two labels at least
 * (".com" would open a whole top-level domain); any other is one host (a single label, such as a
 * company mirror's or a container's name, included).
 */
export const EGRESS_HOST_PATTERN = new RegExp(`^(\\.${LABEL}(\\.${LABEL})+|${LABEL}(\\.${LABEL})*)$`);
export const EGRESS_HOST_ALLOWED =
  "a lower-case host name (registry.npmjs.org), or a domain with its subdomains: a dot, then two labels at least (.example.com)";

export const EGRESS_MODES = ["allowlist", "open", "none"] as const;
export type EgressMode = (typeof EGRESS_MODES)[number];

/** Registries per toolchain folder (images/base/toolchains/<name>); cpp and typescript reuse others. */
export const TOOLCHAIN_REGISTRIES: Record<string, string[]> = {
  node: ["registry.npmjs.org"],
  typescript: ["registry.npmjs.org"],
  python: ["pypi.org", "files.pythonhosted.org"],
  go: ["proxy.golang.org", "sum.golang.org"],
  rust: ["crates.io", "index.crates.io", "static.crates.io", "static.rust-lang.org"],
  java: ["repo.maven.apache.org", "repo1.maven.org", "plugins.gradle.org", "plugins-artifacts.gradle.org", "services.gradle.org"],
  dotnet: ["api.nuget.org"],
  ruby: ["rubygems.org", "index.rubygems.org"],
  php: ["repo.packagist.org", "packagist.org"],
  cpp: [],
};

export const DISTRIBUTION_MIRRORS = ["deb.debian.org", "security.debian.org", "archive.ubuntu.com", "security.ubuntu.com"];

/** Git over https (ssh does not go through an http proxy). */
export const GIT_HOSTING = ["github.com", "api.github.com", "codeload.github.com", "objects.githubusercontent.com", "gitlab.com", "bitbucket.org"];

/**
 * Model providers and their subscription front ends: never allowed for agents (crossChecks refuses
 * them in egress.allow), so a prompt-injected agent cannot spend a key or a plan around LiteLLM.
 */
export const MODEL_PROVIDER_DOMAINS = [
  "anthropic.com",
  "claude.ai",
  "claude.com",
  "openai.com",
  "chatgpt.com",
  "generativelanguage.googleapis.com",
  "aiplatform.googleapis.com",
  "groq.com",
  "huggingface.co",
  "mistral.ai",
  "cohere.com",
  "openrouter.ai",
  "x.ai",
  "deepseek.com",
];

export function defaultEgressAllow(toolchains: string[]): string[] {
  return [...new Set([...toolchains.flatMap((t) => TOOLCHAIN_REGISTRIES[t] ?? []), ...DISTRIBUTION_MIRRORS, ...GIT_HOSTING])];
}

/** Whether an allowlist entry would let traffic reach `domain` or one of its subdomains. */
export function reachesDomain(entry: string, domain: string): boolean {
  const host = entry.replace(/^\./, "");
  return host === domain || host.endsWith(`.${domain}`) || (entry.startsWith(".") && domain.endsWith(`.${host}`));
}
