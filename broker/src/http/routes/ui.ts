import express from "express";
import path from "node:path";

// Same relative place from src/http/routes (tsx) and dist/http/routes (compiled image).
const UI_DIR = path.resolve(__dirname, "../../../ui");

/**
 * The dashboard: static files only, no data in them. Scripts fetch the API with the token the user
 * gives once; the CSP forbids inline script so injected text could never run even if mis-rendered.
 */
export function uiRouter(): express.Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set({
      "Content-Security-Policy":
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    });
    next();
  });
  // One shell for every page; its script picks the page from the path.
  const shell: express.RequestHandler = (_req, res) => res.sendFile(path.join(UI_DIR, "index.html"));
  router.get(["/", "/agents", "/agents/:id", "/jobs/:id"], shell);
  router.use("/assets", express.static(path.join(UI_DIR, "assets"), { fallthrough: false }));
  return router;
}
