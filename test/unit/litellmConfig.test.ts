import { expect } from "chai";
import { parse } from "yaml";
import { GATEWAY_AUTH_MODULE, litellmConfigYaml } from "../../core/litellmConfig";
import { GATEWAY_KEY_HEADER } from "../../core/gatewayKey";
import { validConfig } from "../support/stackConfig";

describe("LiteLLM config file", () => {
  it("lists the models, with os.environ key references only for configured providers", () => {
    const file = parse(litellmConfigYaml(validConfig(), ["anthropicApiKey"]));
    expect(file.model_list).to.deep.equal([
      {
        model_name: "claude-sonnet-4-5",
        litellm_params: { model: "anthropic/claude-sonnet-4-5", api_key: "os.environ/ANTHROPIC_API_KEY" },
      },
      { model_name: "gpt-5.5", litellm_params: { model: "openai/gpt-5.5" } },
      { model_name: "gpt-5", litellm_params: { model: "openai/gpt-5" } },
    ]);
    expect(file.general_settings).to.deep.equal({
      master_key: "os.environ/LITELLM_MASTER_KEY",
      custom_auth: `${GATEWAY_AUTH_MODULE}.user_api_key_auth`,
      litellm_key_header_name: GATEWAY_KEY_HEADER,
      database_url: "os.environ/DATABASE_URL",
      store_model_in_db: true,
    });
  });

  it("has the in-memory cache by default, and none when turned off", () => {
    expect(parse(litellmConfigYaml(validConfig(), [])).litellm_settings).to.deep.include({
      cache: true,
      cache_params: { type: "local" },
    });
    expect(parse(litellmConfigYaml(validConfig({ litellm: { cache: false } }), [])).litellm_settings).to.not.have.property(
      "cache",
    );
  });

  it("counts spend per key with LiteLLM's prometheus callback, its /metrics behind the auth hook", () => {
    expect(parse(litellmConfigYaml(validConfig(), [])).litellm_settings).to.deep.include({
      callbacks: ["prometheus"],
      require_auth_for_metrics_endpoint: true,
    });
  });

  it("carries fallbacks and per-model upstream api_base from the stack config", () => {
    const config = validConfig({
      litellm: { fallbacks: { "gpt-5": ["claude-sonnet-4-5"] }, upstream: { "gpt-5": { apiBase: "http://stub:8080/v1" } } },
    });
    const file = parse(litellmConfigYaml(config, ["openaiApiKey"]));
    expect(file.litellm_settings.fallbacks).to.deep.equal([{ "gpt-5": ["claude-sonnet-4-5"] }]);
    expect(file.model_list[2].litellm_params).to.deep.equal({
      model: "openai/gpt-5",
      api_key: "os.environ/OPENAI_API_KEY",
      api_base: "http://stub:8080/v1",
    });
  });
});
