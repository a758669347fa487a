import type * as pulumi from "@pulumi/pulumi";
import type { FleetConfig } from "../../config/fleetConfig";

/** What every part of the fleet is declared from: the validated config, and the namespace it lives in. */
export interface FleetPartArgs {
  config: FleetConfig;
  namespace: pulumi.Input<string>;
}
