import { expect } from "chai";
import {
  deploys,
  missingDockerMessage,
  manualInstallMessage,
  needsLocalLogin,
  parseInvocation,
  secretsToImport,
  updateOptions,
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
    const manual = manualInstallMessage("3.248.0", "/home/u/.pulumi/versions/3.248.0", "getaddrinfo ENOTFOUND get.pulumi.com\nstack");
    expect(manual).to.contain("installing Pulumi 3.248.0 into /home/u/.pulumi/versions/3.248.0 failed (getaddrinfo ENOTFOUND get.pulumi.com)");
    expect(manual).to.contain("sh -s -- --version 3.248.0").and.to.contain("No Pulumi Cloud account is needed");
    expect(missingDockerMessage("Cannot connect to the Docker daemon at unix:///var/run/docker.sock\n")).to.equal(
      "No Docker daemon answered (Cannot connect to the Docker daemon at unix:///var/run/docker.sock). Start Docker " +
        "(or check DOCKER_HOST and that your user may use the socket), then run this command again.",
    );
  });

  it("maps the options after the stack to the Automation API's, refusing others", () => {
    expect(updateOptions([])).to.deep.equal({ yes: false, diff: false, refresh: false, targets: [] });
    expect(updateOptions(["--yes", "--diff", "-r", "--target", "urn:a", "--target=urn:b"])).to.deep.equal({
      yes: true,
      diff: true,
      refresh: true,
      targets: ["urn:a", "urn:b"],
    });
    expect(() => updateOptions(["--parallel", "4"])).to.throw('unknown option "--parallel"; allowed: --yes (-y), --diff');
    expect(() => updateOptions(["--target"])).to.throw("--target needs a resource URN");
  });
});
