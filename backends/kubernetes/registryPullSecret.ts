import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ImageRegistry } from "../../builds/fleetImage";
import { LABEL } from "../../contract/labels";
import { REGISTRY_PULL_SECRET } from "./objectNames";

export interface RegistryPullSecretArgs {
  stack: string;
  namespace: pulumi.Input<string>;
  /** With its username and password: a registry that needs no login needs no pull secret. */
  registry: ImageRegistry & { username: string; password: pulumi.Input<string> };
}

/** The `.dockerconfigjson` a kubelet reads: one entry for the registry's host, as `docker login` writes it. */
export function dockerConfigJson(server: string, username: string, password: string): string {
  const host = server.split("/")[0];
  const auth = Buffer.from(`${username}:${password}`).toString("base64");
  return JSON.stringify({ auths: { [host]: { username, password, auth } } });
}

/**
 * The nodes pull the images pushed with the stack's registry credentials through this Secret (the
 * pods of built images name it in `imagePullSecrets`): a private registry the nodes are not
 * logged in to would otherwise leave them in ImagePullBackOff.
 */
export class RegistryPullSecret extends pulumi.ComponentResource {
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: RegistryPullSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:kubernetes:RegistryPullSecret", name, {}, opts);
    const { server, username, password } = args.registry;
    const secret = new k8s.core.v1.Secret(
      name,
      {
        metadata: { name: REGISTRY_PULL_SECRET, namespace: args.namespace, labels: { [LABEL.stack]: args.stack } },
        type: "kubernetes.io/dockerconfigjson",
        stringData: pulumi.secret(pulumi.output(password).apply((p) => ({ ".dockerconfigjson": dockerConfigJson(server, username, p) }))),
      },
      { parent: this },
    );
    this.name = secret.metadata.name;
    this.registerOutputs({ name: this.name });
  }
}

/** A pod spec's `imagePullSecrets`, when its image is pulled with the pull secret. */
export function imagePullSecrets(pullSecret: pulumi.Input<string> | undefined): { imagePullSecrets?: { name: pulumi.Input<string> }[] } {
  return pullSecret === undefined ? {} : { imagePullSecrets: [{ name: pullSecret }] };
}
