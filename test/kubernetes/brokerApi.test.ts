/**
 * The broker's HTTP suite (test/broker/support/apiSuite.ts, which test/broker/api.test.ts runs
 * against Docker) against agent pods on the real cluster, through LLPM_RUNTIME=kubernetes.
 */
import { brokerApiSuite } from "../broker/support/apiSuite";
import { KubernetesAgentFleet } from "../support/kubernetes/agentFleet";

brokerApiSuite(new KubernetesAgentFleet());
