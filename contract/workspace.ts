/** Where every agent's workspace is mounted, and where its jobs run. */
export const WORKSPACE_DIR = "/workspace";
