// Measures the README's "container start → ready" figure: each agent image, run as the program runs
// agents (its healthcheck timing from backends/docker/containerSettings.ts), from Docker's StartedAt to
// the end of the first passing healthcheck (Docker's own timestamps; the broker marks the agent
// ready on that health_status event). The images are built (or reused) as the images tier does.
// Run: npx tsx test/images/measure-ready.ts   (RUNS=3 per type by default)
import Docker from "dockerode";
import { AGENT_HEALTHCHECK } from "../../backends/docker/containerSettings";
import { goDurationToNanoseconds } from "../e2e/harness/goDuration";
import { agentProfile } from "./support/agent-environment";
import { randomName } from "./support/docker-cli";
import { AGENT_TYPES, AGENT_UID, buildAgent, buildBase, imageTag, type AgentType } from "./support/image-builds";

const RUNS = Number(process.env.RUNS ?? 3);
const docker = new Docker();

async function secondsToReady(type: AgentType): Promise<number> {
  const container = await docker.createContainer({
    name: randomName(`ready-${type}`),
    Image: imageTag(type),
    User: `${AGENT_UID}:${AGENT_UID}`,
    Env: Object.entries(agentProfile(type).env).map(([k, v]) => `${k}=${v}`),
    Healthcheck: {
      Test: ["CMD", "llpm-healthcheck"],
      Interval: goDurationToNanoseconds(AGENT_HEALTHCHECK.interval),
      Timeout: goDurationToNanoseconds(AGENT_HEALTHCHECK.timeout),
      StartPeriod: goDurationToNanoseconds(AGENT_HEALTHCHECK.startPeriod),
      Retries: AGENT_HEALTHCHECK.retries,
    },
    HostConfig: { Init: true, CapDrop: ["ALL"], SecurityOpt: ["no-new-privileges:true"], Memory: 2 * 1024 ** 3, NetworkMode: "none" },
  });
  try {
    await container.start();
    for (let waited = 0; waited < 120_000; waited += 200) {
      const info = await container.inspect();
      const passed = info.State.Health?.Log?.find((entry) => entry.ExitCode === 0);
      if (info.State.Health?.Status === "healthy" && passed) return (Date.parse(passed.End) - Date.parse(info.State.StartedAt)) / 1000;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${type} not healthy within 120 s`);
  } finally {
    await container.remove({ force: true });
  }
}

async function main(): Promise<void> {
  await buildBase();
  console.log(`| agent type | container start → ready (${RUNS} runs, healthcheck every ${AGENT_HEALTHCHECK.interval}) |`);
  console.log("|---|---|");
  for (const type of AGENT_TYPES) {
    await buildAgent(type);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await secondsToReady(type));
    console.log(`| ${type} | ${runs.map((s) => `${s.toFixed(1)} s`).join(", ")} |`);
  }
  console.log("\nRerun: npx tsx test/images/measure-ready.ts");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
