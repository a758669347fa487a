"use strict";
// /ui/jobs/:id: the job, its timeline and its raw log. The event stream replays both from the
// start, then follows; while the job is queued (no events yet) the page re-reads why it waits.
llpm.pages.job = async () => {
  const QUEUED_REFRESH_MS = 2000;
  const id = llpm.pathId();
  const logBox = document.getElementById("log");
  const timeline = llpm.timeline(document.getElementById("timeline"));
  const cancel = document.getElementById("cancel");

  async function refresh() {
    const job = await llpm.api(`/jobs/${encodeURIComponent(id)}`);
    document.getElementById("title").replaceChildren(llpm.el("span", { text: `Job ${job.id.slice(0, 8)}` }), " ", llpm.badge(job.state));
    llpm.details(document.getElementById("details"), [
      ["agent", job.agentId ? llpm.el("a", { href: `/ui/agents/${encodeURIComponent(job.agentId)}`, text: job.agentId }) : `any ${job.agentType}`],
      ["state", job.state],
      ["created", llpm.time(job.createdAt)],
      ["started", llpm.time(job.startedAt)],
      ["finished", llpm.time(job.finishedAt)],
      ["exit code", job.exitCode === null ? null : String(job.exitCode)],
      [job.state === "queued" ? "waiting" : "reason", job.reason],
      ["tokens and cost", llpm.usageText(job.usage)],
      ["branch", job.branch],
      ["prompt", llpm.el("pre", { class: "prompt", text: job.prompt })],
    ]);
    document.getElementById("result").textContent = job.result ?? "";
    cancel.hidden = llpm.FINAL.has(job.state);
    void llpm.diffView.render(document.getElementById("diff"), job);
    if (job.state === "queued") setTimeout(() => void refresh().catch((err) => llpm.showError(err.message)), QUEUED_REFRESH_MS);
    return job;
  }

  cancel.addEventListener("click", async () => {
    try {
      await llpm.api(`/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" });
    } catch (err) {
      llpm.showError(err.message);
    }
  });

  await refresh();
  await llpm.stream(`/jobs/${encodeURIComponent(id)}/events`, (event, data) => {
    if (event === "log") {
      logBox.append(llpm.el("span", { class: `log-${data.stream}`, text: data.data }));
      return true;
    }
    if (event === "timeline") {
      timeline.add(data);
      return true;
    }
    if (event === "state") {
      void refresh().catch((err) => llpm.showError(err.message));
      if (llpm.FINAL.has(data.state)) timeline.finished();
      return !llpm.FINAL.has(data.state);
    }
    return true;
  });
};
