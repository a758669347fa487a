// Images a user's engine would pull (Ubuntu, Postgres, LiteLLM, Node) cannot be pulled here, so
// the harness swaps them for locally built stand-ins (test/support/local-images). The program
// never knows: the swap happens on the recorded inputs, on build args and on Dockerfile FROM lines.

/** Repository (image name without tag or digest) → the local image that replaces every tag of it. */
export type ImageSubstitutions = Readonly<Record<string, string>>;

export const LOCAL_STAND_INS: ImageSubstitutions = {
  ubuntu: "llpm-local/debian:bookworm",
  debian: "llpm-local/debian:bookworm",
  node: "llpm-local/node:20-bookworm",
  postgres: "llpm-local/postgres:15-bookworm",
  "ghcr.io/berriai/litellm": "llpm-local/litellm:1.108.14",
  "ghcr.io/berriai/litellm-database": "llpm-local/litellm:1.108.14",
  "docker.litellm.ai/berriai/litellm": "llpm-local/litellm:1.108.14",
  "docker.litellm.ai/berriai/litellm-database": "llpm-local/litellm:1.108.14",
};

export function imageRepository(image: string): string {
  const withoutDigest = image.split("@")[0];
  const lastSlash = withoutDigest.lastIndexOf("/");
  const lastColon = withoutDigest.lastIndexOf(":");
  const repository = lastColon > lastSlash ? withoutDigest.slice(0, lastColon) : withoutDigest;
  return repository.replace(/^(docker\.io\/)?(library\/)?/, "");
}

export function substituteImage(image: string, substitutions: ImageSubstitutions): string {
  return substitutions[imageRepository(image)] ?? image;
}

/** Rewrites `FROM <image>` lines (keeping `--platform` flags and `AS <stage>` names). */
export function substituteFromLines(dockerfile: string, substitutions: ImageSubstitutions): string {
  return dockerfile.replace(
    /^(\s*FROM\s+(?:--\S+\s+)*)(\S+)/gim,
    (_line, head: string, image: string) => head + (image.includes("$") ? image : substituteImage(image, substitutions)),
  );
}

/**
 * Build args that name a pulled image (a base image arg) are swapped too. Only values with a tag
 * or digest count as image names, so a plain word such as a toolchain list "node" stays as it is.
 */
export function substituteBuildArgs(args: Record<string, string>, substitutions: ImageSubstitutions): Record<string, string> {
  return Object.fromEntries(
    Object.entries(args).map(([key, value]) => [key, /^[^\s]+[:@][^\s]+$/.test(value) ? substituteImage(value, substitutions) : value]),
  );
}
