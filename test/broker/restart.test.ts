import { expect } from "chai";
import { startBroker, tempDbPath, type RunningBroker } from "./support/brokerHarness";
import { getJob, submit, waitForState } from "./support/jobs";
import { waitFor } from "../support/waitFor";
import { TestFleet } from "./support/testFleet";

describe("broker restart: nothing lost, running jobs reconciled", function () {
  this.timeout(90000);
  const fleet = new TestFleet();
  const db = tempDbPath();
  let first: RunningBroker | undefined;
  let second: RunningBroker | undefined;

  const ready = (b: RunningBroker, id: string) =>
    waitFor(`${id} ready`, async () => (await b.api.get(`/agents/${id}`)).body.state === "ready");

  before(async function () {
    this.timeout(180000);
    await fleet.prepare();
    await Promise.all([fleet.startAgent("aider", 1), fleet.startAgent("aider", 2)]);
  });

  after(async () => {
    await first?.stop();
    await second?.stop();
    await fleet.cleanup();
    db.remove();
  });

  it("follows a job still running to its real end, fails one whose process is gone, and runs the queued ones", async () => {
    first = await startBroker(fleet.stack, db.path);
    await ready(first, "aider-1");
    await ready(first, "aider-2");
    const survivor = await submit(first.api, "aider-1", "#say before restart\n#sleep 3\n#exit 0");
    const queued = await submit(first.api, "aider-1", "queued across the restart");
    const doomed = await submit(first.api, "aider-2", "#say doomed\n#sleep 60");
    await waitFor("both running with output", async () => {
      const [s, d] = [await getJob(first!.api, survivor.id), await getJob(first!.api, doomed.id)];
      return s.log.includes("before restart") && d.log.includes("doomed");
    });
    expect((await getJob(first.api, queued.id)).state).to.equal("queued");
    await first.stop();
    first = undefined;

    // While the broker is down, the doomed job's container restarts: its process and exec are gone.
    await fleet.docker.getContainer(fleet.containerName("aider-2")).restart({ t: 0 });

    second = await startBroker(fleet.stack, db.path);
    const gone = await waitForState(second.api, doomed.id, "failed");
    expect(gone.reason).to.match(/^broker restarted while running; /);
    expect(gone.log).to.contain("doomed");

    // Adopted: the broker polls the exec Docker kept and records how the process really ended.
    // (It may end non-zero: the output pipe to the old broker is gone, which some writers die of.)
    const followed = await waitForState(second.api, survivor.id, "final", 20000);
    expect(followed.exitCode).to.be.a("number");
    expect(followed.reason).to.match(/^broker restarted while running; /);
    expect(followed.log).to.contain("before restart").and.contain("following its process");

    const ran = await waitForState(second.api, queued.id, "completed", 20000);
    expect(ran.result).to.equal("echo: queued across the restart");
    expect(Date.parse(ran.startedAt!)).to.be.at.least(Date.parse(followed.finishedAt!) - 1000);
  });
});
