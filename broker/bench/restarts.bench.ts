/**
 * Jobs lost over broker restarts: N jobs running on N agents (the fake agent image with the real
 * llpm-run-job), the broker restarted K times while they run (stopped as SIGTERM stops it, then a
 * new one on the same database), then every job checked: completed, exit 0, its whole output
 * exactly once. The aim is 0 lost.
 * Rerun: npm run bench:restarts   (BENCH_RUNNING=N, BENCH_RESTARTS=K; defaults 6 and 5)
 */
import { startBroker, tempDbPath, type RunningBroker } from "../../test/broker/support/brokerHarness";
import { getJob, submit, waitForState } from "../../test/broker/support/jobs";
import { TestFleet } from "../../test/broker/support/testFleet";
import { waitFor } from "../../test/support/waitFor";

const RUNNING = Number(process.env.BENCH_RUNNING ?? 6);
const RESTARTS = Number(process.env.BENCH_RESTARTS ?? 5);
const GAP_MS = 1500;

async function main(): Promise<void> {
  const fleet = new TestFleet();
  const db = tempDbPath();
  let broker: RunningBroker | undefined;
  try {
    await fleet.prepare();
    const agents = Array.from({ length: RUNNING }, (_, i) => `aider-${i + 1}`);
    await Promise.all(agents.map((_, i) => fleet.startAgent("aider", i + 1)));
    broker = await startBroker(fleet.stack, db.path);
    await waitFor("agents ready", async () => (await broker!.api.get("/agents")).body.filter((a: { state: string }) => a.state === "ready").length === RUNNING, 60000);
    // Long enough to be running through every restart.
    const sleep = Math.ceil((RESTARTS * (GAP_MS + 1500)) / 1000) + 2;
    const jobs = await Promise.all(agents.map((id, i) => submit(broker!.api, id, `#say begin-${i}\n#sleep ${sleep}\n#say end-${i}`)));
    await waitFor("every job running", async () => (await Promise.all(jobs.map((j) => getJob(broker!.api, j.id)))).every((j) => j.log.includes("begin-")), 30000);
    const started = Date.now();
    for (let k = 0; k < RESTARTS; k++) {
      await broker.stop();
      broker = await startBroker(fleet.stack, db.path);
      await new Promise((r) => setTimeout(r, GAP_MS));
    }
    const restartsTook = (Date.now() - started) / 1000;
    let lost = 0;
    for (const [i, job] of jobs.entries()) {
      const done = await waitForState(broker.api, job.id, "final", (sleep + 30) * 1000);
      const lines = done.log.split("\n");
      const whole = lines.filter((l) => l === `begin-${i}`).length === 1 && lines.filter((l) => l === `end-${i}`).length === 1;
      if (done.state !== "completed" || done.exitCode !== 0 || !whole) {
        lost++;
        console.log(`lost: ${job.id} ${done.state} exit ${done.exitCode} (${done.reason}); whole output: ${whole}`);
      }
    }
    console.log(`jobs running: ${RUNNING}, broker restarts while they ran: ${RESTARTS} (in ${restartsTook.toFixed(1)} s)`);
    console.log(`jobs lost: ${lost} of ${RUNNING} (aim 0)`);
    console.log("rerun: npm run bench:restarts   (BENCH_RUNNING, BENCH_RESTARTS)");
    process.exitCode = lost === 0 ? 0 : 1;
  } finally {
    await broker?.stop();
    await fleet.cleanup();
    db.remove();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
