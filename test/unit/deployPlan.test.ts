import { expect } from "chai";
import {
  deploys,
  missingDockerMessage,
  MISSING_PULUMI,
  needsLocalLogin,
  parseInvocation,
  secretsToImport,
} from "../../scripts/deployPlan";

describe("deploy command decisions", () => {
  it("defaults to the dev stack and passes other arguments to pulumi", () => {
    expect(parseInvocation(["up"])).to.deep.equal({ command: "up", stack: "dev", pulumiArgs: [] });
    expect(parseInvocation(["preview", "--stack", "team", "--diff"])).to.deep.equal({
      command: "preview",
      stack: "team",
      pulumiArgs: ["--diff"],
    });
    expect(parseInvocation(["destroy", "--stack=heavy", "--yes"])).to.deep.equal({
      command: "destroy",
      stack: "heavy",
      pulumiArgs: ["--yes"],
    });
  });

  it("refuses an unknown command or a bad stack name, saying what is allowed", () => {
    expect(() => parseInvocation(["deploy"])).to.throw('unknown command "deploy"; allowed: up, preview, destroy, status');
    expect(() => parseInvocation(["up", "--stack"])).to.throw(/--stack ""; allowed: a stack name/);
    expect(() => parseInvocation(["up", "--stack", "a b"])).to.throw(/--stack "a b"/);
  });

  it("imports from the environment only the keys the stack does not have", () => {
    const stackConfig = { "llpm-fleet:anthropicApiKey": { value: "[secret]", secret: true }, "llpm-fleet:agents": {} };
    const env = {
      ANTHROPIC_API_KEY: "sk-ant-env",
      OPENAI_API_KEY: "sk-openai-env",
      GROQ_API_KEY: "   ",
      HUGGINGFACE_TOKEN: "hf_x",
      LITELLM_MASTER_KEY: "sk-master",
      GEMINI_API_KEY: undefined,
    };
    expect(secretsToImport(stackConfig, env)).to.deep.equal([
      { configKey: "openaiApiKey", envVar: "OPENAI_API_KEY" },
      { configKey: "huggingfaceToken", envVar: "HUGGINGFACE_TOKEN" },
      { configKey: "litellmMasterKey", envVar: "LITELLM_MASTER_KEY" },
    ]);
    expect(secretsToImport({}, {})).to.deep.equal([]);
  });

  it("creates the stack and imports only when deploying, logs in locally unless a backend is chosen", () => {
    expect(["up", "preview", "destroy", "status"].map((c) => deploys(c as "up"))).to.deep.equal([
      true,
      true,
      false,
      false,
    ]);
    expect(needsLocalLogin({})).to.equal(true);
    expect(needsLocalLogin({ PULUMI_BACKEND_URL: "s3://bucket" })).to.equal(false);
  });

  it("explains a missing Pulumi CLI or Docker daemon", () => {
    expect(MISSING_PULUMI).to.contain("Pulumi CLI was not found").and.to.contain("No Pulumi Cloud account is needed");
    expect(missingDockerMessage("Cannot connect to the Docker daemon at unix:///var/run/docker.sock\n")).to.equal(
      "No Docker daemon answered (Cannot connect to the Docker daemon at unix:///var/run/docker.sock). Start Docker " +
        "(or check DOCKER_HOST and that your user may use the socket), then run this command again.",
    );
  });
});
