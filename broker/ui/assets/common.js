"use strict";
// Shared by the dashboard pages. Untrusted text (agent ids, prompts, logs, results) only ever
// reaches the page through textContent or text nodes; no HTML is ever built from data.
const llpm = (() => {
  const TOKEN_KEY = "llpm-broker-token";

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function badge(state) {
    const safe = String(state).replace(/[^a-z_]/g, "");
    return el("span", { class: `state state-${safe}`, text: state });
  }

  function details(dl, pairs) {
    dl.replaceChildren(
      ...pairs.flatMap(([label, value]) => [el("dt", { text: label }), el("dd", {}, value === null || value === undefined ? "—" : value)]),
    );
  }

  function showError(message) {
    const box = document.getElementById("error");
    box.textContent = message || "";
    box.hidden = !message;
  }

  function setConnection(text) {
    const node = document.getElementById("connection");
    if (node) node.textContent = text;
  }

  class AuthError extends Error {}

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function askForToken() {
    sessionStorage.removeItem(TOKEN_KEY);
    const form = document.getElementById("token-form");
    form.hidden = false;
    return new Promise((resolve) => {
      form.addEventListener(
        "submit",
        (event) => {
          event.preventDefault();
          const value = form.elements.token.value.trim();
          sessionStorage.setItem(TOKEN_KEY, value);
          form.hidden = true;
          form.reset();
          resolve(value);
        },
        { once: true },
      );
    });
  }

  async function api(path, options) {
    const opts = options || {};
    const response = await fetch(path, {
      method: opts.method || "GET",
      headers: {
        Authorization: `Bearer ${token()}`,
        ...(opts.body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
    if (response.status === 401 || response.status === 403) throw new AuthError("the broker refused this token");
    const body = response.status === 204 ? null : await response.json();
    if (!response.ok) throw new Error(body && body.error ? body.error.message : `HTTP ${response.status}`);
    return body;
  }

  /**
   * Server-sent events read with fetch, so the token goes in the Authorization header as for
   * every other call (EventSource cannot send headers). Reconnects with Last-Event-ID until
   * `onEvent` returns false.
   */
  async function stream(path, onEvent) {
    let lastId = null;
    let delay = 500;
    for (;;) {
      try {
        const headers = { Authorization: `Bearer ${token()}` };
        if (lastId !== null) headers["Last-Event-ID"] = String(lastId);
        const response = await fetch(path, { headers });
        if (response.status === 401 || response.status === 403) throw new AuthError("the broker refused this token");
        if (!response.ok) throw new Error(`event stream: HTTP ${response.status}`);
        setConnection("live");
        delay = 500;
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let split;
          while ((split = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, split);
            buffer = buffer.slice(split + 2);
            let event = null;
            let data = null;
            for (const line of block.split("\n")) {
              if (line.startsWith("event: ")) event = line.slice(7);
              else if (line.startsWith("data: ")) data = JSON.parse(line.slice(6));
              else if (line.startsWith("id: ")) lastId = Number(line.slice(4));
            }
            if (event && onEvent(event, data) === false) {
              reader.cancel();
              setConnection("done");
              return;
            }
          }
        }
      } catch (err) {
        if (err instanceof AuthError) throw err;
      }
      setConnection("reconnecting");
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10000);
    }
  }

  /** Runs a page: asks for the token once, and again only if the broker refuses it. */
  async function start(main) {
    for (;;) {
      if (!token()) await askForToken();
      try {
        showError("");
        await main();
        return;
      } catch (err) {
        if (err instanceof AuthError) {
          showError("The broker refused that token; enter it again.");
          sessionStorage.removeItem(TOKEN_KEY);
          continue;
        }
        showError(err && err.message ? err.message : String(err));
        return;
      }
    }
  }

  const pathId = () => decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : null);
  const FINAL = new Set(["completed", "failed", "cancelled", "timed_out"]);
  const number = (n) => (n === null || n === undefined ? "—" : Number(n).toLocaleString("en-US"));
  const usd = (n) => (n === null || n === undefined ? "—" : `$${Number(n).toFixed(4)}`);
  /** A job's usage in one phrase; null when its CLI reported none (or it has not ended). */
  const usageText = (u) => (u ? `${number(u.inputTokens)} in · ${number(u.outputTokens)} out · ${usd(u.costUsd)}` : null);
  /** An agent's totals over its finished jobs. */
  const agentUsageText = (u) => (u ? `${number(u.jobs)} jobs · ${usageText(u)}` : null);

  /** Page entry points by name, filled in by each page script; app.js runs the one for this path. */
  const pages = {};

  return { el, badge, details, api, stream, start, showError, pathId, time, FINAL, number, usd, usageText, agentUsageText, pages };
})();
