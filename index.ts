/**
 * llpm-fleet, run by `pulumi up` of this project: the program itself is program/fleetProgram.ts,
 * which the Automation API (npm run up) runs inline; here its outputs become the stack's exports.
 */
import { fleetProgram } from "./program/fleetProgram";

const outputs = fleetProgram({ projectRoot: __dirname });

export const brokerUrl = outputs.brokerUrl;
export const dashboardUrl = outputs.dashboardUrl;
export const apiDocsUrl = outputs.apiDocsUrl;
export const litellmUrl = outputs.litellmUrl;
export const litellmUiUrl = outputs.litellmUiUrl;
export const agents = outputs.agents;
export const brokerToken = outputs.brokerToken;
export const litellmMasterKey = outputs.litellmMasterKey;
/** The fleet's namespace on backend kubernetes; absent on docker. */
export const namespace = "namespace" in outputs ? outputs.namespace : undefined;
