import { expect } from "chai";
import Docker from "dockerode";
import http from "node:http";
import { PassThrough, type Duplex } from "node:stream";
import { AGENT_ROLE, LABEL } from "../../contract/labels";
import { dockerClient, parseEndpoint } from "../../broker/src/runtime/docker/dockerEndpoint";
import { startDockerFilter, type RunningDockerFilter } from "./support/dockerFilter";
import { TestFleet } from "./support/testFleet";
import { waitFor } from "../support/waitFor";

interface DockerError {
  statusCode?: number;
  json?: { message?: string; refused?: string };
}

/** The call's error (a refused call rejects); fails the test when the call went through. */
async function refusal(call: Promise<unknown>): Promise<DockerError> {
  const outcome = await call.then(
    () => null,
    (err: DockerError) => err,
  );
  if (outcome === null) throw new Error("the call went through the filter; it should have been refused");
  return outcome;
}

/** dockerode keeps a JSON error body in `json`, but only the message of a streaming call's error. */
function expectRefused(err: DockerError, refused: RegExp, reason: RegExp): void {
  const message = err.json?.message ?? String(err);
  expect(err.statusCode, message).to.equal(403);
  expect(message).to.match(new RegExp(`llpm docker filter refused ${refused.source.replace(/^\^|\$$/g, "")}: `));
  expect(message).to.match(reason);
}

/** A request sent byte for byte as given (no client-side path normalisation). */
function raw(socketPath: string, method: string, target: string, body?: string): Promise<{ status: number; json: DockerError["json"] }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path: target, headers: body ? { "Content-Type": "application/json" } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || "null") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function execOutput(exec: Docker.Exec, docker: Docker, stdin?: string): Promise<{ stdout: string; code: number | null }> {
  const stream = (await exec.start({ hijack: true, stdin: stdin !== undefined })) as Duplex;
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  docker.modem.demuxStream(stream, out, new PassThrough());
  const ended = new Promise((resolve) => stream.on("end", resolve).on("close", resolve));
  if (stdin !== undefined) stream.end(stdin);
  await ended;
  await waitFor("the exec to finish", async () => (await exec.inspect()).Running === false);
  return { stdout: Buffer.concat(chunks).toString(), code: (await exec.inspect()).ExitCode ?? null };
}

describe("the Docker API filter (real Docker): the broker reaches only its stack's agents", function () {
  this.timeout(60000);
  const own = new TestFleet();
  const other = new TestFleet();
  let filter: RunningDockerFilter;
  let viaFilter: Docker;
  let ownAgent: Docker.Container;
  let otherAgent: Docker.Container;
  let ownService: Docker.Container;
  let unlabelled: Docker.Container;

  before(async function () {
    this.timeout(600000);
    await own.prepare();
    await other.prepare();
    ownAgent = await own.startAgent("aider", 1);
    otherAgent = await other.startAgent("aider", 1);
    const image = (await ownAgent.inspect()).Config.Image;
    const plain = { Image: image, Entrypoint: ["sleep", "300"], HostConfig: { NetworkMode: "none", CapDrop: ["ALL"] } };
    // Same stack, not an agent: a LiteLLM's environment holds the master key.
    ownService = await own.docker.createContainer({ ...plain, name: `${own.stack}-litellm`, Labels: { [LABEL.stack]: own.stack, [LABEL.role]: "litellm" } });
    unlabelled = await own.docker.createContainer({ ...plain, name: `${own.stack}-unlabelled` });
    await ownService.start();
    await unlabelled.start();
    filter = await startDockerFilter(own.stack);
    viaFilter = dockerClient(parseEndpoint(filter.dockerHost) ?? undefined);
  });

  after(async () => {
    await filter?.stop();
    await unlabelled?.remove({ force: true }).catch(() => {});
    await own.cleanup();
    await other.cleanup();
  });

  describe("what the broker needs works", () => {
    it("answers ping and version", async () => {
      expect(String(await viaFilter.ping())).to.equal("OK");
      expect((await viaFilter.version()).ApiVersion).to.be.a("string");
    });

    it("lists only its stack's agents, whatever filters the request brings", async () => {
      const names = (list: Docker.ContainerInfo[]) => list.map((c) => c.Names[0]);
      expect(names(await viaFilter.listContainers({ all: true }))).to.deep.equal([`/${own.containerName("aider-1")}`]);
      const widen = [
        { label: [`${LABEL.stack}=${other.stack}`] },
        { label: { [`${LABEL.stack}=${other.stack}`]: true } },
        { name: [other.containerName("aider-1")] },
        { label: [`${LABEL.role}=litellm`] },
      ].map((f) => JSON.stringify(f));
      for (const filters of widen) expect(await viaFilter.listContainers({ all: true, filters }), filters).to.deep.equal([]);
    });

    it("inspects its own agent, refuses another stack's agent, its own LiteLLM and unlabelled containers", async () => {
      expect((await viaFilter.getContainer(own.containerName("aider-1")).inspect()).Id).to.equal(ownAgent.id);
      for (const ref of [otherAgent.id, other.containerName("aider-1"), ownService.id, unlabelled.id]) {
        expectRefused(await refusal(viaFilter.getContainer(ref).inspect()), /^GET \/containers\/[^/]+\/json$/, /not an agent of stack/);
      }
      expect((await refusal(viaFilter.getContainer("llpmt-no-such-container").inspect())).statusCode).to.equal(404);
    });

    it("streams events of its own agents only", async () => {
      const seen: { stack: string; action: string }[] = [];
      const stream = (await viaFilter.getEvents({ filters: { type: ["container"], event: ["pause", "unpause"] } })) as unknown as NodeJS.ReadableStream & { destroy(): void };
      stream.on("data", (chunk: Buffer) => {
        for (const line of chunk.toString().split("\n").filter(Boolean)) {
          const ev = JSON.parse(line) as { Action: string; Actor: { Attributes: Record<string, string> } };
          seen.push({ stack: ev.Actor.Attributes[LABEL.stack], action: ev.Action });
        }
      });
      try {
        await otherAgent.pause();
        await otherAgent.unpause();
        await ownAgent.pause();
        await ownAgent.unpause();
        await waitFor("the own agent's unpause event", async () => seen.some((e) => e.action === "unpause"));
        expect(seen).to.deep.equal([
          { stack: own.stack, action: "pause" },
          { stack: own.stack, action: "unpause" },
        ]);
      } finally {
        stream.destroy();
      }
      expectRefused(await refusal(viaFilter.getEvents({ filters: { type: ["image"] } })), /^GET \/events$/, /events of type image are not allowed/);
    });

    it("runs an exec in its own agent with stdin, output and exit code", async () => {
      const exec = await viaFilter.getContainer(own.containerName("aider-1")).exec({
        Cmd: ["sh", "-c", "cat; id -u; exit 3"],
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        WorkingDir: "/workspace",
      });
      const { stdout, code } = await execOutput(exec, viaFilter, "from stdin\n");
      expect(stdout).to.equal("from stdin\n1000\n");
      expect(code).to.equal(3);
      await exec.resize({ h: 24, w: 80 }).catch((err: DockerError) => expect(err.statusCode).not.to.equal(403));
    });
  });

  describe("everything else is refused with 403, naming the call", () => {
    it("refuses creating, starting, killing and removing containers", async () => {
      expectRefused(await refusal(viaFilter.createContainer({ Image: "x", HostConfig: { Privileged: true } })), /^POST \/containers\/create$/, /creating containers is not allowed/);
      const mine = viaFilter.getContainer(ownAgent.id);
      const calls = [() => mine.start(), () => mine.kill(), () => mine.stop(), () => mine.remove({ force: true }), () => mine.update({ Memory: 1 << 30 }), () => mine.attach({ stream: true, stdout: true })];
      for (const call of calls) expectRefused(await refusal(call()), /(POST|DELETE) \/containers\/\S+/, /allowed only as list, inspect and exec/);
      expect((await ownAgent.inspect()).State.Running, "the refused kill did not happen").to.equal(true);
    });

    it("refuses image, volume, network, build, system and swarm calls", async () => {
      const cases: [() => Promise<unknown>, RegExp][] = [
        [() => viaFilter.listImages(), /image calls are not allowed/],
        [() => viaFilter.getImage("llpm-local/debian:bookworm").inspect(), /image calls are not allowed/],
        [() => viaFilter.pull("busybox:latest"), /image calls are not allowed/],
        [() => viaFilter.listVolumes(), /volume calls are not allowed/],
        [() => viaFilter.createVolume({ Name: `${own.stack}-vol` }), /volume calls are not allowed/],
        [() => viaFilter.listNetworks(), /network calls are not allowed/],
        [() => viaFilter.createNetwork({ Name: `${own.stack}-net` }), /network calls are not allowed/],
        [() => viaFilter.buildImage({ context: __dirname, src: [] }), /building images is not allowed/],
        [() => viaFilter.info(), /not a call the broker needs/],
        [() => viaFilter.df(), /system calls are not allowed/],
        [() => viaFilter.swarmInspect(), /swarm calls are not allowed/],
      ];
      for (const [call, reason] of cases) {
        expectRefused(await refusal(call()), /(GET|POST) \/[a-z]+\/?\S*/, reason);
      }
      expect((await own.docker.listVolumes({ filters: { name: [`${own.stack}-vol`] } })).Volumes ?? []).to.deep.equal([]);
    });

    it("answers a refused build with 403 once its context is sent, so the client never writes into a closed pipe", async () => {
      // A context that arrives over time, as a real build's tar stream does. A refusal that answered
      // and closed before the body's end made dockerode's next write fail with EPIPE, on a loaded
      // machine, in place of the 403.
      const chunks = 16;
      let sent = 0;
      const answer = await new Promise<{ status: number; message: string; sentBeforeAnswer: number }>((resolve, reject) => {
        const req = http.request({ socketPath: filter.socketPath, method: "POST", path: "/build", headers: { "Content-Type": "application/x-tar" } }, (res) => {
          const sentBeforeAnswer = sent;
          const body: Buffer[] = [];
          res.on("data", (c: Buffer) => body.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, message: JSON.parse(Buffer.concat(body).toString()).message, sentBeforeAnswer }));
        });
        req.on("error", reject);
        const chunk = Buffer.alloc(32 * 1024);
        const next = (): void => {
          sent++;
          if (sent < chunks) req.write(chunk, () => setTimeout(next, 20));
          else req.end(chunk);
        };
        next();
      });
      expect(answer.status).to.equal(403);
      expect(answer.message).to.match(/^llpm docker filter refused POST \/build: building images is not allowed/);
      expect(answer.sentBeforeAnswer, "chunks the client had written when the answer came").to.equal(chunks);
    });

    it("refuses exec into another stack's agent, its own LiteLLM and unlabelled containers", async () => {
      for (const ref of [otherAgent.id, other.containerName("aider-1"), ownService.id, unlabelled.id]) {
        const err = await refusal(viaFilter.getContainer(ref).exec({ Cmd: ["id"], AttachStdout: true }));
        expectRefused(err, /POST \/containers\/\S+\/exec/, /not an agent of stack/);
      }
    });

    it("refuses a privileged exec, an exec as another user, and fields the broker never sends", async () => {
      const mine = viaFilter.getContainer(ownAgent.id);
      expectRefused(await refusal(mine.exec({ Cmd: ["id"], Privileged: true })), /POST \/containers\/\S+\/exec/, /privileged exec is not allowed/);
      expectRefused(await refusal(mine.exec({ Cmd: ["id"], User: "root" })), /POST \/containers\/\S+\/exec/, /exec as another user is not allowed/);
      expectRefused(await refusal(mine.exec({ Cmd: ["id"], User: "0:0" })), /POST \/containers\/\S+\/exec/, /exec as another user is not allowed/);
      expectRefused(await refusal(mine.exec({ Cmd: ["id"], Env: ["LD_PRELOAD=/x"] })), /POST \/containers\/\S+\/exec/, /exec field Env is not allowed/);
    });

    it("refuses start, inspect and resize of an exec not created through it, even in its own agent", async () => {
      const direct = await own.docker.getContainer(ownAgent.id).exec({ Cmd: ["id"], AttachStdout: true });
      const foreign = viaFilter.getExec(direct.id);
      expectRefused(await refusal(foreign.start({ hijack: true, stdin: false })), /^POST \/exec\/[0-9a-f]+\/start$/, /not created through the filter/);
      expectRefused(await refusal(foreign.start({ Detach: true })), /^POST \/exec\/[0-9a-f]+\/start$/, /not created through the filter/);
      expectRefused(await refusal(foreign.inspect()), /^GET \/exec\/[0-9a-f]+\/json$/, /not created through the filter/);
      expectRefused(await refusal(foreign.resize({ h: 10, w: 10 })), /^POST \/exec\/[0-9a-f]+\/resize$/, /not created through the filter/);
      expect((await direct.inspect()).Running === false && (await direct.inspect()).ExitCode === null, "the foreign exec never ran").to.equal(true);
    });

    it("refuses path tricks as they reach it, byte for byte", async () => {
      const tricks: [string, string][] = [
        ["POST", "/v1.41/containers/create"],
        ["POST", "/containers%2Fcreate"],
        ["POST", "/%63ontainers/create"],
        ["POST", "/containers/json/../create"],
        ["POST", "/v1.41//containers/create"],
        ["POST", "/v1.41/v1.41/containers/create"],
        ["GET", "/Images/json"],
        ["POST", `/containers/${ownAgent.id}/../create`],
      ];
      for (const [method, target] of tricks) {
        const answer = await raw(filter.socketPath, method, target, "{}").catch((err: Error) => { throw new Error(`${method} ${target}: ${err.message}`); });
        expect(answer.status, `${method} ${target}`).to.equal(403);
        expect(answer.json?.message, `${method} ${target}`).to.match(/^llpm docker filter refused /);
      }
      const versioned = await raw(filter.socketPath, "GET", `/v1.41/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`${LABEL.stack}=${other.stack}`] }))}`);
      expect(versioned).to.deep.equal({ status: 200, json: [] });
      const listed = await raw(filter.socketPath, "GET", "/v1.41/containers/json?all=1");
      expect((listed.json as unknown as Docker.ContainerInfo[]).map((c) => c.Labels[LABEL.role])).to.deep.equal([AGENT_ROLE]);
    });

    it("logs every refusal with the call and the reason", async () => {
      await refusal(viaFilter.listImages());
      const refusals = filter.logLines.map((l) => JSON.parse(l) as { msg: string; request?: string; reason?: string }).filter((l) => l.msg === "docker call refused");
      expect(refusals.some((l) => l.request === "GET /images/json" && l.reason === "image calls are not allowed")).to.equal(true);
    });
  });
});
