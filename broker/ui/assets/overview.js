"use strict";
// /ui: the fleet at a glance from GET /overview, redrawn when an agent or a job changes (/events)
// and every half minute so the per-minute chart moves on. The chart is SVG built here.
llpm.pages.overview = async () => {
  const { el } = llpm;
  const SVG = "http://www.w3.org/2000/svg";
  const CHART = { width: 960, height: 220, left: 36, right: 8, top: 12, bottom: 28 };
  const SERIES = ["completed", "failed", "cancelled"];
  const REDRAW_MS = 30000;

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    for (const child of children) node.append(child);
    return node;
  }

  /** One stacked bar per minute; each non-empty part carries its minute, series and count. */
  function chart(minutes) {
    const plotW = CHART.width - CHART.left - CHART.right;
    const plotH = CHART.height - CHART.top - CHART.bottom;
    const totals = minutes.map((m) => SERIES.reduce((n, k) => n + m[k], 0));
    const max = Math.max(1, ...totals);
    const slot = plotW / minutes.length;
    const root = svg("svg", { viewBox: `0 0 ${CHART.width} ${CHART.height}`, role: "img", "aria-label": "Jobs ended per minute", class: "throughput" });
    const baseline = CHART.top + plotH;
    root.append(
      svg("line", { x1: CHART.left, x2: CHART.width - CHART.right, y1: baseline, y2: baseline, class: "axis" }),
      svg("text", { x: CHART.left - 6, y: CHART.top + 4, class: "tick", "text-anchor": "end" }, String(max)),
      svg("text", { x: CHART.left - 6, y: baseline, class: "tick", "text-anchor": "end" }, "0"),
    );
    minutes.forEach((m, i) => {
      const x = CHART.left + i * slot + slot * 0.1;
      let y = baseline;
      for (const series of SERIES) {
        if (!m[series]) continue;
        const h = (m[series] / max) * plotH;
        y -= h;
        root.append(
          svg(
            "rect",
            { x: x.toFixed(1), y: y.toFixed(1), width: (slot * 0.8).toFixed(1), height: h.toFixed(1), class: `bar bar-${series}`, "data-minute": m.start, "data-series": series, "data-count": m[series] },
            svg("title", {}, `${llpm.time(m.start)}: ${m[series]} ${series}`),
          ),
        );
      }
      // A time label every quarter hour, and at the current minute.
      if (i % 15 === 0 || i === minutes.length - 1) {
        root.append(svg("text", { x: (x + slot * 0.4).toFixed(1), y: CHART.height - 8, class: "tick", "text-anchor": "middle" }, new Date(m.start).toTimeString().slice(0, 5)));
      }
    });
    return root;
  }

  function draw(o) {
    document.getElementById("agent-states").replaceChildren(
      ...Object.entries(o.agentsByState).map(([state, n]) => el("li", { "data-state": state }, llpm.badge(state), " ", el("span", { class: "count", text: String(n) }))),
    );
    const queue = Object.entries(o.queueDepthByType).sort(([a], [b]) => (a < b ? -1 : 1));
    document.getElementById("queue").replaceChildren(
      ...(queue.length
        ? queue.map(([type, n]) => el("tr", { "data-type": type }, el("td", { text: type }), el("td", { class: "count", text: String(n) })))
        : [el("tr", {}, el("td", { class: "hint", colspan: "2", text: "Nothing queued." }))]),
    );
    document.getElementById("throughput").replaceChildren(chart(o.jobsPerMinute));
    document.getElementById("usage").replaceChildren(
      ...(o.usageByAgent.length
        ? o.usageByAgent.map((u) =>
            el(
              "tr",
              { "data-agent-id": u.agentId },
              el("td", {}, el("a", { href: `/ui/agents/${encodeURIComponent(u.agentId)}`, text: u.agentId })),
              el("td", { text: u.agentType }),
              el("td", { class: "count", text: llpm.number(u.jobs) }),
              el("td", { class: "count", text: llpm.number(u.inputTokens) }),
              el("td", { class: "count", text: llpm.number(u.outputTokens) }),
              el("td", { class: "count", text: llpm.usd(u.costUsd) }),
            ),
          )
        : [el("tr", {}, el("td", { class: "hint", colspan: "6", text: "No finished jobs yet." }))]),
    );
  }

  let pending = null;
  const redraw = () => {
    // Coalesces a burst of changes into one request.
    if (pending) return;
    pending = setTimeout(async () => {
      pending = null;
      try {
        draw(await llpm.api("/overview?minutes=60"));
      } catch (err) {
        llpm.showError(err.message);
      }
    }, 250);
  };

  draw(await llpm.api("/overview?minutes=60"));
  setInterval(redraw, REDRAW_MS);
  await llpm.stream("/events", (event) => {
    if (event !== "snapshot") redraw();
  });
};
