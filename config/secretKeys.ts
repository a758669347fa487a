/**
 * The stack's secret keys. Provider keys are only ever read with getSecret; `importFromEnv` is the
 * variable the deploy command copies into the stack (users coming from the seed keep keys there).
 */
export interface ProviderKey {
  configKey: string;
  /** LiteLLM provider prefix (`anthropic/claude-...`) whose models use this key. */
  provider: string;
  /** Variable name inside the LiteLLM container; its config file refers to it as os.environ/NAME. */
  litellmEnv: string;
  importFromEnv: string;
}

export const PROVIDER_KEYS: ProviderKey[] = [
  { configKey: "anthropicApiKey", provider: "anthropic", litellmEnv: "ANTHROPIC_API_KEY", importFromEnv: "ANTHROPIC_API_KEY" },
  { configKey: "openaiApiKey", provider: "openai", litellmEnv: "OPENAI_API_KEY", importFromEnv: "OPENAI_API_KEY" },
  { configKey: "geminiApiKey", provider: "gemini", litellmEnv: "GEMINI_API_KEY", importFromEnv: "GEMINI_API_KEY" },
  { configKey: "groqApiKey", provider: "groq", litellmEnv: "GROQ_API_KEY", importFromEnv: "GROQ_API_KEY" },
  {
    configKey: "huggingfaceToken",
    provider: "huggingface",
    litellmEnv: "HUGGINGFACE_API_KEY",
    importFromEnv: "HUGGINGFACE_TOKEN",
  },
];

/**
 * The fleet's own secrets. The Docker backend generates those the stack does not set (with
 * @pulumi/random); the Kubernetes backend needs every one set.
 */
export const GENERATED_SECRET_KEYS = ["litellmMasterKey", "brokerToken", "litellmSaltKey", "gatewayKeySecret", "postgresPassword"] as const;
export type GeneratedSecretKey = (typeof GENERATED_SECRET_KEYS)[number];

/** Secret config keys the deploy command may import from the environment, with their variable. */
export const IMPORTABLE_SECRETS: { configKey: string; envVar: string }[] = [
  ...PROVIDER_KEYS.map((k) => ({ configKey: k.configKey, envVar: k.importFromEnv })),
  { configKey: "litellmMasterKey", envVar: "LITELLM_MASTER_KEY" },
];

/** The password of `images.registry` (backend kubernetes pushes the images it builds there). */
export const REGISTRY_PASSWORD_KEY = "registryPassword";

export const SECRET_KEYS: string[] = [...PROVIDER_KEYS.map((k) => k.configKey), ...GENERATED_SECRET_KEYS, REGISTRY_PASSWORD_KEY];
