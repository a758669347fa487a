import { expect } from "chai";
import { plainStackConfig } from "../../config/readStackConfig";

describe("reading the engine's config", () => {
  it("decodes JSON values, keeps bare words, drops other namespaces and every secret key", () => {
    const raw = plainStackConfig({
      "llpm-fleet:agents": '{"aider":2}',
      "llpm-fleet:authMode": "api_key",
      "llpm-fleet:jobTimeoutSeconds": "600",
      "llpm-fleet:anthropicApiKey": "sk-ant-secret",
      "llpm-fleet:brokerToken": "tok",
      "docker:host": "unix:///x",
    });
    expect(raw).to.deep.equal({ agents: { aider: 2 }, authMode: "api_key", jobTimeoutSeconds: 600 });
  });
});
