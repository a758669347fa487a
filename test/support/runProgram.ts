/**
 * Runs the real index.ts under Pulumi's mocks: there is no Pulumi CLI or engine on the test
 * machines (the docker provider is not served here), so this stands in for `pulumi preview` and records what the program
 * declares. Stack config is loaded the way the CLI would: Pulumi.yaml defaults, then
 * Pulumi.<stack>.yaml, then the caller's overrides.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { NAMESPACE } from "../../config/defaults";
import { SECRET_KEYS } from "../../config/secretKeys";

export interface RecordedResource {
  type: string;
  name: string;
  /** Inputs with secrets unwrapped to their plain values (the e2e harness needs real values). */
  inputs: Record<string, any>;
  id: string;
  /** Its URN (parents' types and all), as the engine would key its state. */
  urn?: string;
  /** Dotted paths of the inputs that were Pulumi secrets, e.g. `envs`. */
  secretPaths: string[];
}

export interface ProgramRun {
  resources: RecordedResource[];
  /** Stack outputs, unwrapped. */
  outputs: Record<string, any>;
  /** Names of the stack outputs that are Pulumi secrets. */
  secretOutputs: string[];
}

export interface RunProgramOptions {
  stack: string;
  /** Keys without the `llpm-fleet:` namespace, JS values; an object replaces that key's whole value. */
  config?: Record<string, unknown>;
  /** Environment for the run (e.g. LLPM_WORKSPACE_ROOT, HOME), restored afterwards. */
  env?: Record<string, string>;
}

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const PROJECT = "llpm-fleet";
const SECRET_SIG_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;

type ConfigValues = Record<string, unknown>;

function projectDefaults(): ConfigValues {
  const project = parseYaml(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as { config?: Record<string, any> };
  const values: ConfigValues = {};
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    const fullKey = key.includes(":") ? key : `${NAMESPACE}:${key}`;
    const isDeclaration = decl !== null && typeof decl === "object" && !Array.isArray(decl);
    const value = isDeclaration ? (decl.value ?? decl.default) : decl;
    if (value !== undefined) values[fullKey] = value;
  }
  return values;
}

function stackValues(stack: string): ConfigValues {
  const file = path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) return {};
  const settings = parseYaml(fs.readFileSync(file, "utf8")) as { config?: ConfigValues } | null;
  return settings?.config ?? {};
}

/** The engine hands programs every value as text: strings as they are, everything else as JSON. */
export function engineConfig(stack: string, overrides: Record<string, unknown> = {}): Record<string, string> {
  const merged: ConfigValues = { ...projectDefaults(), ...stackValues(stack) };
  for (const [key, value] of Object.entries(overrides)) merged[`${NAMESPACE}:${key}`] = value;
  return Object.fromEntries(
    Object.entries(merged)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

function isRpcSecret(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** Replaces secret wrappers by their values and reports where they were. */
export function unwrapSecrets(value: unknown, at = "", found: string[] = []): { value: any; secretPaths: string[] } {
  if (isRpcSecret(value)) {
    found.push(at);
    return { value: unwrapSecrets(value.value, at, []).value, secretPaths: found };
  }
  if (Array.isArray(value)) {
    return { value: value.map((v, i) => unwrapSecrets(v, at ? `${at}.${i}` : String(i), found).value), secretPaths: found };
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = unwrapSecrets(v, at ? `${at}.${k}` : k, found).value;
    return { value: out, secretPaths: found };
  }
  return { value, secretPaths: found };
}

/** A fake random value, distinct per resource and long enough to find in a scan of everything else. */
export function mockRandomValue(name: string): string {
  return `mockrandom${createHash("sha256").update(name).digest("hex").slice(0, 24)}`;
}

/** A pushed image's digest as the provider reports it, `<repository>@sha256:<manifest>`; here made up from its name. */
export function mockRepoDigest(imageName: string): string {
  const repository = imageName.slice(0, imageName.lastIndexOf(":"));
  return `${repository}@sha256:${createHash("sha256").update(imageName).digest("hex")}`;
}

/** What each mocked resource reports back: its inputs plus the outputs dependants read. */
function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  switch (type) {
    case "random:index/randomPassword:RandomPassword":
      // Mocks ignore additionalSecretOutputs (checked with @pulumi/pulumi 3.248.0), so the secret must come from here.
      return { ...inputs, result: pulumi.secret(mockRandomValue(name)) };
    case "docker:index/image:Image": {
      // A local, unpushed build is referenced by its own name; the e2e harness builds that tag.
      if (inputs.skipPush) return { ...inputs, repoDigest: inputs.imageName, baseImageName: inputs.imageName, registryServer: "" };
      return { ...inputs, repoDigest: mockRepoDigest(inputs.imageName), baseImageName: inputs.imageName, registryServer: inputs.registry?.server ?? "" };
    }
    default:
      return inputs;
  }
}

const STACK_TYPE = "pulumi:pulumi:Stack";

function inDeclarationOrder(resources: RecordedResource[], declared: string[]): void {
  const rank = (r: RecordedResource) => declared.indexOf(`${r.type}::${r.name}`);
  resources.sort((a, b) => rank(a) - rank(b));
}

async function resolveDeep(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    return resolveDeep(await new Promise((resolve) => (value as pulumi.Output<unknown>).apply((v) => resolve(v))));
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolveDeep));
  if (value !== null && typeof value === "object") {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveDeep(v)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return run().finally(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

export function runProgram(opts: RunProgramOptions): Promise<ProgramRun> {
  return withEnv(opts.env ?? {}, async () => {
    const resources: RecordedResource[] = [];
    const config = engineConfig(opts.stack, opts.config);
    await pulumi.runtime.setMocks(
      {
        newResource(args: pulumi.runtime.MockResourceArgs) {
          // The root stack resource is the engine's, not something the program declares.
          if (args.type === STACK_TYPE) return { id: `${args.name}-id`, state: {} };
          const { value, secretPaths } = unwrapSecrets(args.inputs);
          // The serialized dynamic provider is code, not configuration: nothing to record.
          delete value.__provider;
          const id = `${args.name}-id`;
          resources.push({ type: args.type, name: args.name, inputs: value, id, secretPaths });
          return { id, state: mockState(args.type, args.name, args.inputs) };
        },
        call() {
          return {};
        },
      },
      PROJECT,
      opts.stack,
      false,
    );
    pulumi.runtime.setAllConfig(
      config,
      SECRET_KEYS.map((k) => `${NAMESPACE}:${k}`).filter((k) => k in config),
    );
    const entry = require.resolve(path.join(PROJECT_ROOT, "index.ts"));
    delete require.cache[entry];
    // Mocks see resources in the order their inputs resolve, which varies from run to run; a stack
    // transformation sees them in the order the program declares them, so recordings are sorted by it.
    const declared: string[] = [];
    const declaredResources = new Map<string, pulumi.Resource>();
    let failure: unknown;
    try {
      let exported: Record<string, unknown> = {};
      await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args) => {
          declared.push(`${args.type}::${args.name}`);
          // Its urn is set once it registers, after transformations ran: read later.
          declaredResources.set(`${args.type}::${args.name}`, args.resource);
          return undefined;
        });
        exported = require(entry) as Record<string, unknown>;
      });
      const outputs: Record<string, any> = {};
      const secretOutputs: string[] = [];
      for (const [key, value] of Object.entries(exported)) {
        if (pulumi.Output.isInstance(value) && (await pulumi.isSecret(value as pulumi.Output<unknown>))) secretOutputs.push(key);
        outputs[key] = await resolveDeep(value);
      }
      return { resources, outputs, secretOutputs };
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      await pulumi.runtime.disconnect();
      inDeclarationOrder(resources, declared);
      for (const r of resources) {
        const urn = declaredResources.get(`${r.type}::${r.name}`)?.urn;
        if (urn) r.urn = (await resolveDeep(urn)) as string;
      }
      // After every pending registration has landed: lets a test check a refused config declared nothing.
      if (failure !== null && typeof failure === "object") Object.assign(failure, { recordedResources: resources });
    }
  });
}
