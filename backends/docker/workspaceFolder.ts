import * as pulumi from "@pulumi/pulumi";

export interface WorkspaceFolderSpec {
  path: string;
  uid: number;
  gid: number;
}

/**
 * Makes the folder (and parents), owned by the agent's uid/gid, mode 0700: Docker would otherwise
 * create a missing bind source as root and the non-root agent could not write its workspace.
 * `fs` is required inside, not imported at the top: the dynamic provider is serialized into the
 * stack and run in its own process, and a built-in required by name serializes cleanly.
 */
export function ensureWorkspaceFolder(spec: WorkspaceFolderSpec): void {
  const fs: typeof import("node:fs") = require("node:fs");
  fs.mkdirSync(spec.path, { recursive: true, mode: 0o700 });
  fs.chownSync(spec.path, spec.uid, spec.gid);
  fs.chmodSync(spec.path, 0o700);
}

/**
 * Deleting the resource leaves the folder and its files where they are: a workspace holds the
 * user's work (clones, uncommitted changes), and lowering a count or `pulumi destroy` must not
 * erase it. Raising the count again reattaches the same folder.
 */
export const workspaceFolderProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: WorkspaceFolderSpec) {
    ensureWorkspaceFolder(inputs);
    return { id: inputs.path, outs: inputs };
  },
  async diff(_id: string, olds: WorkspaceFolderSpec, news: WorkspaceFolderSpec) {
    const replaces = olds.path !== news.path ? ["path"] : [];
    const changes = replaces.length > 0 || olds.uid !== news.uid || olds.gid !== news.gid;
    return { changes, replaces, deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: WorkspaceFolderSpec, news: WorkspaceFolderSpec) {
    ensureWorkspaceFolder(news);
    return { outs: news };
  },
  async delete() {
    // Kept on purpose; see above.
  },
};

export class WorkspaceFolder extends pulumi.dynamic.Resource {
  declare readonly path: pulumi.Output<string>;

  constructor(name: string, spec: WorkspaceFolderSpec, opts?: pulumi.CustomResourceOptions) {
    super(workspaceFolderProvider, name, { ...spec }, opts, "llpm", "WorkspaceFolder");
  }
}
