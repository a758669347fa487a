import type supertest from "supertest";
import { waitFor } from "../../support/waitFor";

const FINAL = new Set(["completed", "failed", "cancelled", "timed_out"]);

export interface JobBody {
  id: string;
  agentId: string | null;
  agentType: string;
  state: string;
  exitCode: number | null;
  result: string | null;
  reason: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  log: string;
  logBytes: number;
  logTruncated: boolean;
}

export async function getJob(api: supertest.Agent, id: string): Promise<JobBody> {
  const res = await api.get(`/jobs/${id}`).expect(200);
  return res.body as JobBody;
}

export function waitForState(api: supertest.Agent, id: string, state: string | "final", timeoutMs = 15000): Promise<JobBody> {
  return waitFor(`job ${id} to be ${state}`, async () => {
    const job = await getJob(api, id);
    return (state === "final" ? FINAL.has(job.state) : job.state === state) && job;
  }, timeoutMs);
}

export async function submit(api: supertest.Agent, agentId: string, prompt: string, timeoutSeconds?: number): Promise<JobBody> {
  const res = await api.post(`/agents/${agentId}/jobs`).send({ prompt, ...(timeoutSeconds ? { timeoutSeconds } : {}) }).expect(202);
  return res.body as JobBody;
}
