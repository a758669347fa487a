// Codex's subscription login: its callback server listens on 127.0.0.1:1455 inside the container,
// which a published port cannot reach; the image's forwarder makes it reachable on the container's
// own address. A stand-in callback server plays Codex's part (a real login needs a ChatGPT account).
import { expect } from "chai";
import { buildAgent, buildBase, imageTag } from "./support/image-builds";
import { docker, dockerOk, randomName } from "./support/docker-cli";

const CALLBACK_STAND_IN =
  'require("http").createServer((q, s) => s.end("callback " + q.url)).listen(1455, "127.0.0.1")';

describe("openai-codex image: login callback forwarding", function () {
  this.timeout(10 * 60_000);
  const network = randomName("login-net");
  const name = randomName("codex-login");

  before(async () => {
    await buildBase();
    await buildAgent("openai-codex");
    await dockerOk(["network", "create", network]);
    await dockerOk(["run", "-d", "--name", name, "--network", network, "--cap-drop", "ALL",
      "--security-opt", "no-new-privileges", "-e", "LLPM_AUTH_MODE=subscription", imageTag("openai-codex")]);
  });
  after(async () => {
    await docker(["rm", "-f", name]);
    await docker(["network", "rm", network]);
  });

  it("forwards the container's address:1455 to the loopback-only callback server", async () => {
    await dockerOk(["exec", "-d", name, "node", "-e", CALLBACK_STAND_IN]);
    await dockerOk(["exec", "-d", name, "/usr/local/lib/llpm/login-callback-forwarder"]);
    const address = (await dockerOk(["inspect", "-f", `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, name])).trim();
    let body = "";
    for (let attempt = 0; attempt < 50 && !body; attempt++) {
      body = await fetch(`http://${address}:1455/auth/callback?code=abc`, { signal: AbortSignal.timeout(1000) })
        .then((r) => r.text())
        .catch(() => "");
      if (!body) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(body).to.equal("callback /auth/callback?code=abc");
  });

  it("writes a subscription-mode config: ChatGPT login, credentials in a file, no gateway provider", async () => {
    const config = await dockerOk(["exec", name, "cat", "/home/agent/.codex/config.toml"]);
    expect(config).to.include('forced_login_method = "chatgpt"');
    expect(config).to.include('cli_auth_credentials_store = "file"');
    expect(config).to.not.include("model_providers");
  });
});
