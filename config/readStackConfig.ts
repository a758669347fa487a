/**
 * Reads the `llpm-fleet` namespace from the Pulumi engine. Plain keys come back as JSON values for
 * validation (unknown keys included, so a typo is reported, not ignored); secret keys only as
 * secret Outputs, never as plain strings.
 */
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE } from "./defaults";
import { PROVIDER_KEYS, SECRET_KEYS } from "./secretKeys";

/** Top-level values are strings; structured ones (`--path`) and numbers arrive as JSON text. */
export function decodeConfigValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Plain config under the namespace, keyed without it; `all` is injected for tests. */
export function plainStackConfig(all: Record<string, string>): Record<string, unknown> {
  const prefix = `${NAMESPACE}:`;
  const raw: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(all)) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    if (SECRET_KEYS.includes(key)) continue;
    raw[key] = decodeConfigValue(text);
  }
  return raw;
}

export type StackSecrets = Record<string, pulumi.Output<string> | undefined>;

export function stackSecrets(config: pulumi.Config): StackSecrets {
  return Object.fromEntries(SECRET_KEYS.map((k) => [k, config.getSecret(k)]));
}

/** The provider keys the stack has, by config key; only these reach LiteLLM. */
export function configuredProviderKeys(secrets: StackSecrets): Record<string, pulumi.Output<string>> {
  return Object.fromEntries(
    PROVIDER_KEYS.flatMap((k) => {
      const value = secrets[k.configKey];
      return value ? [[k.configKey, value]] : [];
    }),
  );
}
