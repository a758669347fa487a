// Pulumi dynamic resources carry their provider's code, which runProgram does not record; the
// harness materialises them by running the program's own provider, found here by resource type.
import type * as pulumi from "@pulumi/pulumi";
import { workspaceFolderProvider } from "../../../backends/docker/workspaceFolder";

export const DYNAMIC_PROVIDERS: Readonly<Record<string, pulumi.dynamic.ResourceProvider>> = {
  "pulumi-nodejs:dynamic/llpm:WorkspaceFolder": workspaceFolderProvider,
};

export function dynamicProviderFor(type: string, resourceName: string): pulumi.dynamic.ResourceProvider {
  const provider = DYNAMIC_PROVIDERS[type];
  if (!provider) {
    throw new Error(`dynamic resource "${resourceName}" has type ${type}: add its provider to test/e2e/harness/dynamicProviders.ts`);
  }
  return provider;
}
