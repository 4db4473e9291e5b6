import type { DemoApi } from "./demo-api.js";
import { DEMO } from "./demo-names.js";

export interface ServiceView {
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly endpoint?: string;
  readonly deployments: readonly { status: string; taskDefinition: string; rolloutState?: string }[];
  readonly events: readonly { message: string }[];
}

/** DescribeServices of the demo's service in `cluster`, with its load balancer's address. */
export async function describeDemoService(api: DemoApi, cluster: string): Promise<ServiceView> {
  const answer = await api.call<{
    services?: (ServiceView & { loadBalancers?: { pipewrightEndpoint?: string }[] })[];
  }>("ecs", "DescribeServices", { cluster, services: [DEMO.service] });
  const service = answer.services?.[0];
  if (!service) throw new Error(`the service ${DEMO.service} in cluster ${cluster} is missing`);
  const endpoint = service.loadBalancers?.[0]?.pipewrightEndpoint;
  return { ...service, ...(endpoint ? { endpoint } : {}) };
}

/** The version the page at `url` shows, or why it could not be read. */
export async function servedVersion(url: string): Promise<string> {
  try {
    const response = await fetch(url);
    const body = await response.text();
    if (response.status !== 200) return `HTTP ${response.status}`;
    return /demo-app (v\d+)/u.exec(body)?.[1] ?? "a page without a version";
  } catch (error) {
    return `no answer (${(error as Error).message})`;
  }
}
