"use strict";
// The "Changes" section of a job page: the files the job changed and the unified diff
// (GET /jobs/:id/diff). Only whole lines starting with + or - get a colour; every piece of
// the diff reaches the page as text.
llpm.diffView = (() => {
  const STATUS_LETTER = { added: "A", modified: "M", deleted: "D", renamed: "R" };
  const shown = new Set();

  function lineClass(line) {
    if (line.startsWith("+++") || line.startsWith("---")) return "diff-file";
    if (line.startsWith("+")) return "diff-add";
    if (line.startsWith("-")) return "diff-del";
    return null;
  }

  function fileRow(file) {
    const status = String(file.status).replace(/[^a-z]/g, "");
    const counts = file.binary
      ? llpm.el("span", { class: "diff-binary", text: "binary" })
      : llpm.el("span", {}, llpm.el("span", { class: "diff-add", text: `+${file.additions}` }), " ", llpm.el("span", { class: "diff-del", text: `-${file.deletions}` }));
    return llpm.el(
      "li",
      { "data-path": file.path },
      llpm.el("span", { class: `diff-status diff-status-${status}`, title: file.status, text: STATUS_LETTER[status] || "?" }),
      " ",
      llpm.el("code", { text: file.from ? `${file.from} → ${file.path}` : file.path }),
      " ",
      counts,
    );
  }

  function patchView(patch) {
    const pre = llpm.el("pre", { class: "patch", id: "patch" });
    for (const line of patch.split("\n")) {
      pre.append(llpm.el("span", { class: lineClass(line) ?? undefined, text: line }), "\n");
    }
    return pre;
  }

  function summary(diff) {
    const plus = diff.files.reduce((n, f) => n + (f.additions || 0), 0);
    const minus = diff.files.reduce((n, f) => n + (f.deletions || 0), 0);
    const count = `${diff.files.length} file${diff.files.length === 1 ? "" : "s"} changed, +${plus} -${minus}`;
    return llpm.el("p", { class: "diff-summary" }, count, diff.truncated ? " (the patch below is cut at the broker's size cap)" : "");
  }

  /** Shows the job's diff once it has ended; until then, says when it will be there. */
  async function render(box, job) {
    if (!llpm.FINAL.has(job.state)) {
      box.replaceChildren(llpm.el("p", { class: "hint", text: "The changes show here once the job has ended." }));
      return;
    }
    if (shown.has(job.id)) return;
    shown.add(job.id);
    try {
      const diff = await llpm.api(`/jobs/${encodeURIComponent(job.id)}/diff`);
      if (diff.files.length === 0) {
        box.replaceChildren(llpm.el("p", { class: "hint", text: "The job changed no files." }));
        return;
      }
      box.replaceChildren(summary(diff), llpm.el("ul", { class: "diff-files", id: "diff-files" }, ...diff.files.map(fileRow)), patchView(diff.patch));
    } catch (err) {
      shown.delete(job.id);
      box.replaceChildren(llpm.el("p", { class: "hint", text: `No diff: ${err.message}` }));
    }
  }

  return { render };
})();
