// Builds one image through the Engine API, as the docker provider does (not the CLI: a build arg
// holding a CA bundle is larger than one command-line argument may be). The context is packed
// honouring its .dockerignore, with the Dockerfile's FROM lines swapped for local stand-ins and
// added under a name of its own, so the program's files stay untouched. The classic builder's
// layer cache makes a rebuild of an unchanged image take seconds.
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import type Docker from "dockerode";
import { pack } from "tar-fs";
import { contextIgnores } from "../../../builds/buildContext";
import type { ImageBuildSpec } from "./imageBuildSpec";
import { type ImageSubstitutions, substituteFromLines } from "./imageSubstitution";

const SUBSTITUTED_DOCKERFILE = ".llpm-e2e.Dockerfile";

export function buildOptions(spec: ImageBuildSpec) {
  return {
    t: spec.tag,
    dockerfile: SUBSTITUTED_DOCKERFILE,
    buildargs: spec.buildArgs,
    rm: true,
    forcerm: true,
    ...(spec.target ? { target: spec.target } : {}),
  };
}

export async function dockerBuild(docker: Docker, spec: ImageBuildSpec, substitutions: ImageSubstitutions): Promise<void> {
  const dockerfile = substituteFromLines(await readFile(spec.dockerfile, "utf8"), substitutions);
  const ignored = contextIgnores(spec.context);
  const context = pack(spec.context, {
    ignore: (name) => ignored(path.relative(spec.context, name)),
    finalize: false,
    finish: (archive) => {
      archive.entry({ name: SUBSTITUTED_DOCKERFILE }, dockerfile);
      archive.finalize();
    },
  });
  const progress = await docker.buildImage(context, buildOptions(spec));
  const output = await new Promise<{ stream?: string; error?: string }[]>((resolve, reject) =>
    docker.modem.followProgress(progress, (error: Error | null, result: { stream?: string; error?: string }[]) =>
      error ? reject(error) : resolve(result),
    ),
  );
  const failure = output.find((line) => line.error);
  if (failure) {
    const log = output.map((line) => line.stream ?? line.error ?? "").join("").slice(-4000);
    throw new Error(`docker build of ${spec.tag} (${spec.dockerfile}) failed: ${failure.error}\n${log}`);
  }
}
