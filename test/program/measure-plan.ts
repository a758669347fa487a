// Measures the README's "mock-plan time of the heavy stack": the real index.ts for the heavy stack
// file under Pulumi's mocks (what `npm run test:program` runs), wall time per run, first run
// included (module loading). Run: npm run bench:plan   (RUNS=5 by default)
import { makeProgramHost } from "../support/programEnv";
import { runProgram } from "../support/runProgram";

const RUNS = Number(process.env.RUNS ?? 5);

async function main(): Promise<void> {
  const host = makeProgramHost();
  const times: number[] = [];
  let resources = 0;
  try {
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const run = await runProgram({ stack: "heavy", env: host.env });
      times.push(performance.now() - started);
      resources = run.resources.length;
    }
  } finally {
    host.remove();
  }
  const warm = times.slice(1).sort((a, b) => a - b);
  console.log(`heavy stack: ${resources} resources recorded under mocks`);
  console.log(`first run ${(times[0] / 1000).toFixed(2)} s; then median ${((warm[Math.floor(warm.length / 2)] ?? times[0]) / 1000).toFixed(2)} s over ${warm.length} runs`);
  console.log("rerun: npm run bench:plan   (RUNS)");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
