/**
 * The uid/gid agents run as: the deploying user's, so files in the bind-mounted workspaces belong
 * to that user on the host too. Never 0: deploying as root gives agents 1000:1000 instead.
 */
export interface HostUser {
  uid: number;
  gid: number;
}

export const FALLBACK_AGENT_USER: HostUser = { uid: 1000, gid: 1000 };

export function agentUser(getuid: (() => number) | undefined, getgid: (() => number) | undefined): HostUser {
  const uid = getuid?.();
  const gid = getgid?.();
  if (uid === undefined || gid === undefined || uid === 0) return { ...FALLBACK_AGENT_USER };
  return { uid, gid: gid === 0 ? FALLBACK_AGENT_USER.gid : gid };
}
