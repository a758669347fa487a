/**
 * An HTTP call made from inside a pod, with the node its image has: the cluster's Services live in
 * its own network namespace, which the host's routes do not reach.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { execInPod, exitCode } from "./cluster";

export interface PodFetchOptions {
  method?: string;
  body?: unknown;
  /** A variable of the pod's environment holding the bearer token: the token never leaves the pod. */
  bearerEnv?: string;
}

// argv: url, method, body (JSON or empty), bearer variable (or empty). Prints {status, body}; a body that is not JSON comes as text.
const SCRIPT =
  "const [url,method,body,bearer]=process.argv.slice(1);" +
  "fetch(url,{method,headers:{'content-type':'application/json',...(bearer?{authorization:'Bearer '+process.env[bearer]}:{})},body:body||undefined})" +
  ".then(async r=>{const t=await r.text();let b;try{b=JSON.parse(t)}catch{b=t}console.log(JSON.stringify({status:r.status,body:b}))},e=>{console.error(e);process.exit(1)})";

export async function fetchInPod(
  kc: KubeConfig,
  namespace: string,
  pod: string,
  container: string,
  url: string,
  options: PodFetchOptions = {},
): Promise<{ status: number; body: any }> {
  const body = options.body === undefined ? "" : JSON.stringify(options.body);
  const out = await execInPod(kc, namespace, pod, container, ["node", "-e", SCRIPT, url, options.method ?? "GET", body, options.bearerEnv ?? ""]);
  if (exitCode(out.status) !== 0) throw new Error(`${options.method ?? "GET"} ${url} from pod ${pod} failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}
