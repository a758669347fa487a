"use strict";
// /ui/agents/:id: the agent, its recent jobs and a prompt form; live through /events.
llpm.pages.agent = async () => {
  const { el } = llpm;
  const id = llpm.pathId();
  const base = `/agents/${encodeURIComponent(id)}`;
  const rows = new Map();
  const tbody = document.getElementById("jobs");

  function showAgent(agent) {
    document.getElementById("title").replaceChildren(el("span", { text: agent.id }), " ", llpm.badge(agent.state));
    llpm.details(document.getElementById("details"), [
      ["type", agent.type],
      ["container", agent.container],
      ["auth", `${agent.authMode}${agent.authenticated ? ", authenticated" : ", not authenticated"}`],
      ["queued jobs", String(agent.queuedJobs)],
      ["usage", llpm.agentUsageText(agent.usage)],
      ["workspace", agent.workspacePath],
      ["attach", agent.attachCommand ? el("code", { text: agent.attachCommand }) : null],
      ["stopped because", agent.stoppedReason],
    ]);
  }

  function showJob(job, atTop) {
    const row = el(
      "tr",
      { "data-job-id": job.id },
      el("td", {}, el("a", { href: `/ui/jobs/${encodeURIComponent(job.id)}`, text: job.id.slice(0, 8) })),
      el("td", {}, llpm.badge(job.state)),
      el("td", { text: llpm.time(job.createdAt) }),
      el("td", { class: "clip", text: job.result ?? job.reason ?? "" }),
    );
    const old = rows.get(job.id);
    rows.set(job.id, row);
    if (old) old.replaceWith(row);
    else if (atTop) tbody.prepend(row);
    else tbody.append(row);
  }

  document.getElementById("prompt-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const prompt = document.getElementById("prompt").value;
    const timeout = document.getElementById("timeout").value;
    try {
      const job = await llpm.api(`${base}/jobs`, { method: "POST", body: { prompt, ...(timeout ? { timeoutSeconds: Number(timeout) } : {}) } });
      location.assign(`/ui/jobs/${encodeURIComponent(job.id)}`);
    } catch (err) {
      llpm.showError(err.message);
    }
  });

  showAgent(await llpm.api(base));
  for (const job of await llpm.api(`${base}/jobs?limit=20`)) showJob(job, false);
  await llpm.stream("/events", (event, data) => {
    if (event === "agent" && data.id === id) showAgent(data);
    if (event === "snapshot") {
      const me = data.agents.find((a) => a.id === id);
      if (me) showAgent(me);
    }
    if (event === "job" && data.agentId === id) showJob(data, true);
  });
};
