/** Ports inside the fleet (container or pod side); the host ports are stack config. */
export const BROKER_PORT = 3010;
export const LITELLM_PORT = 4000;
export const EGRESS_PROXY_PORT = 3128;
