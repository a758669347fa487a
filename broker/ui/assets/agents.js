"use strict";
// /ui/agents: one card per agent, kept current by /events (a snapshot, then one change at a time).
llpm.pages.agents = async () => {
  const { el } = llpm;
  const container = document.getElementById("agents");
  const cards = new Map();

  function card(agent) {
    const dl = el("dl", { class: "details" });
    llpm.details(dl, [
      ["type", agent.type],
      ["container", agent.container],
      ["auth", `${agent.authMode}${agent.authenticated ? ", authenticated" : ", not authenticated"}`],
      ["current job", agent.currentJobIds.length ? el("a", { href: `/ui/jobs/${encodeURIComponent(agent.currentJobIds[0])}`, text: agent.currentJobIds[0].slice(0, 8) }) : null],
      ["queued", String(agent.queuedJobs)],
      ["usage", llpm.agentUsageText(agent.usage)],
      ["workspace", agent.workspacePath],
      ["attach", agent.attachCommand ? el("code", { text: agent.attachCommand }) : null],
    ]);
    return el(
      "article",
      { class: "card", "data-agent-id": agent.id },
      el("h2", {}, el("a", { href: `/ui/agents/${encodeURIComponent(agent.id)}`, text: agent.id }), " ", llpm.badge(agent.state)),
      dl,
    );
  }

  function upsert(agent) {
    const fresh = card(agent);
    const old = cards.get(agent.id);
    cards.set(agent.id, fresh);
    if (old) return old.replaceWith(fresh);
    const after = [...cards.keys()].sort().find((id) => id > agent.id && cards.get(id).isConnected);
    container.insertBefore(fresh, after ? cards.get(after) : null);
  }

  await llpm.stream("/events", (event, data) => {
    if (event === "snapshot") {
      cards.clear();
      container.replaceChildren();
      data.agents.forEach(upsert);
      if (!data.agents.length) container.append(el("p", { class: "hint", text: "No agents in this stack yet." }));
    } else if (event === "agent") {
      upsert(data);
    } else if (event === "agentRemoved") {
      cards.get(data.id)?.remove();
      cards.delete(data.id);
    }
  });
};
