"use strict";
// The job page's timeline: one list item per entry of GET /jobs/:id/timeline or the job's
// `timeline` SSE events. Tool results fold into their call's item, collapsed.
llpm.timeline = (list) => {
  const { el } = llpm;
  const calls = new Map();

  const lineCount = (text) => (text ? text.replace(/\n$/, "").split("\n").length : 0);

  function item(entry) {
    const li = el("li", { class: `entry entry-${entry.kind}`, "data-kind": entry.kind });
    switch (entry.kind) {
      case "text":
        li.append(el("p", { class: "entry-text", text: entry.text }));
        break;
      case "command":
        li.append(el("span", { class: "entry-label", text: "ran" }), el("code", { class: "entry-command", text: `$ ${entry.command}` }));
        break;
      case "file_write":
        li.append(el("span", { class: "entry-label", text: "wrote" }), el("code", { class: "entry-path", text: entry.path }));
        break;
      case "file_edit":
        li.append(el("span", { class: "entry-label", text: "edited" }), el("code", { class: "entry-path", text: entry.path }));
        break;
      case "tool_call":
        li.append(el("span", { class: "entry-label", text: entry.tool }), el("code", { class: "entry-input", text: entry.input }));
        break;
      case "error":
        li.append(el("span", { class: "entry-label", text: "error" }), el("span", { class: "entry-message", text: entry.message }));
        break;
      case "result":
        li.append(
          el("span", { class: "entry-label", text: entry.isError ? "failed" : "result" }),
          el("p", { class: "entry-text", text: entry.text ?? "(no result text)" }),
        );
        break;
      default:
        li.append(el("span", { class: "entry-label", text: String(entry.kind) }));
    }
    return li;
  }

  function result(entry) {
    const lines = lineCount(entry.output);
    const what = entry.isError ? "error output" : "output";
    const summary = lines === 0 ? `no ${what}` : `${what}: ${lines} line${lines === 1 ? "" : "s"}${entry.truncated ? ", cut at the cap" : ""}`;
    return el(
      "details",
      { class: `tool-output${entry.isError ? " tool-output-error" : ""}`, "data-kind": "tool_result" },
      el("summary", { text: summary }),
      el("pre", { class: "entry-output", text: entry.output }),
    );
  }

  return {
    add(entry) {
      list.querySelector(".timeline-empty")?.remove();
      if (entry.kind === "tool_result") {
        const call = entry.callId ? calls.get(entry.callId) : null;
        if (call) return call.append(result(entry));
        return list.append(el("li", { class: "entry entry-tool_result", "data-kind": "tool_result" }, result(entry)));
      }
      const li = item(entry);
      if (entry.callId) {
        li.setAttribute("data-call-id", entry.callId);
        calls.set(entry.callId, li);
      }
      list.append(li);
    },
    /** Says so when a finished job's output gave no entry (the raw log then has everything). */
    finished() {
      if (!list.children.length) list.append(el("li", { class: "timeline-empty hint", text: "No steps parsed from this job's output; the raw log below has all of it." }));
    },
  };
};
