"use strict";
// One page shell for every dashboard route: pick the page by path, stamp its template, run it.
(() => {
  const routes = [
    [/^\/ui\/?$/, "overview"],
    [/^\/ui\/agents\/?$/, "agents"],
    [/^\/ui\/agents\/[^/]+$/, "agent"],
    [/^\/ui\/jobs\/[^/]+$/, "job"],
  ];
  const match = routes.find(([pattern]) => pattern.test(location.pathname));
  if (!match) return llpm.showError("Unknown dashboard page.");
  const name = match[1];
  document.title = `llpm-fleet · ${name}`;
  document.getElementById("page").replaceChildren(document.getElementById(`page-${name}`).content.cloneNode(true));
  llpm.start(llpm.pages[name]);
})();
