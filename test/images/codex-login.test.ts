// Codex's subscription login in an agent that sits on an internal network, where no published port
// reaches it: `llpm-login` uses Codex's device-code login, which needs no callback server, only the
// provider's auth host through the egress proxy; `llpm-login --callback` (for Kubernetes, where
// `kubectl port-forward` reaches a pod's loopback) runs the browser login and its callback server.
// Here the stub's proxy logger plays the proxy (it records the CONNECT and refuses it: a real login
// needs a ChatGPT account and the internet).
import { expect } from "chai";
import { AGENT_CATALOGUE } from "../../catalogue/agentTypes";
import { buildAgent, buildBase, imageTag } from "./support/image-builds";
import { docker, dockerOk, randomName } from "./support/docker-cli";
import { startStubModelServer, type StubModelServer } from "./support/stub-model-server";
import { waitFor } from "../support/waitFor";

describe("openai-codex image: subscription login by device code, or by browser callback", function () {
  this.timeout(10 * 60_000);
  const name = randomName("codex-login");
  let stub: StubModelServer;

  before(async () => {
    await buildBase();
    await buildAgent("openai-codex");
    stub = await startStubModelServer();
    const proxy = `http://${stub.alias}:3128`;
    await dockerOk(["run", "-d", "--name", name, "--network", stub.network, "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
      "-e", "LLPM_AUTH_MODE=subscription", "-e", `HTTPS_PROXY=${proxy}`, "-e", `https_proxy=${proxy}`, imageTag("openai-codex")]);
  });
  after(async () => {
    await docker(["rm", "-f", name]);
    await stub?.stop();
  });

  it("asks the auth host listed for Codex's subscription mode, through the proxy, and starts no callback server", async () => {
    const login = await docker(["exec", name, "timeout", "40", "llpm-login"], { timeoutMs: 60_000 });
    // The proxy refused the tunnel, so the login fails (and signal-authenticated never runs).
    expect(login.code, login.stdout + login.stderr).to.not.equal(0);
    const connects = (await stub.proxyRequests()).map((r) => r.target);
    expect(connects).to.include("auth.openai.com:443");
    const authHost = connects.find((t) => t.startsWith("auth."))!.split(":")[0];
    expect(AGENT_CATALOGUE["openai-codex"].subscription?.egressHosts).to.include(authHost);
    expect(`${login.stdout}${login.stderr}`).to.not.contain("localhost:1455");
  });

  it("with --callback runs Codex's browser login instead: its callback server on the agent's loopback, at the catalogue's port", async () => {
    const callbackPort = AGENT_CATALOGUE["openai-codex"].subscription!.loginCallbackPort!;
    await dockerOk(["exec", "-d", name, "sh", "-c", "timeout 60 llpm-login --callback >/tmp/login.out 2>&1"]);
    try {
      const printed = await waitFor("the login URL Codex prints", async () => {
        const out = await dockerOk(["exec", name, "cat", "/tmp/login.out"]);
        return /https:\/\/auth\.openai\.com\/oauth\/authorize\S+/.exec(out)?.[0];
      }, 30_000);
      expect(new URL(printed).searchParams.get("redirect_uri")).to.equal(`http://127.0.0.1:${callbackPort}/auth/callback`);
      // A redirect with a state this login did not issue: Codex's own server answers, and refuses it.
      const answer = await dockerOk(["exec", name, "curl", "-s", "--noproxy", "*", "-w", " %{http_code}",
        `http://127.0.0.1:${callbackPort}/auth/callback?code=made-up&state=not-issued`]);
      expect(answer.trim()).to.equal("State mismatch 400");
      // Only the agent's loopback: nothing listens on its network address.
      const onNetwork = await docker(["exec", name, "sh", "-c", `curl -s --noproxy '*' -m 5 http://$(hostname -i | cut -d' ' -f1):${callbackPort}/`]);
      expect(onNetwork.code).to.not.equal(0);
    } finally {
      await docker(["exec", name, "pkill", "-f", "codex login"]);
    }
  });

  it("writes a subscription-mode config: ChatGPT login, credentials in a file, no gateway provider", async () => {
    const config = await dockerOk(["exec", name, "cat", "/home/agent/.codex/config.toml"]);
    expect(config).to.include('forced_login_method = "chatgpt"');
    expect(config).to.include('cli_auth_credentials_store = "file"');
    expect(config).to.not.include("model_providers");
  });
});
