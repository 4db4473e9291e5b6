import { request } from "node:http";

export interface LoadReport {
  readonly requests: number;
  readonly failed: number;
  /** Requests answered per version the page showed (`v1`: 812, `v2`: 640). */
  readonly versions: Readonly<Record<string, number>>;
  /** The first few failures, for the report. */
  readonly failures: readonly string[];
}

export interface LoadGenerator {
  stop(): Promise<LoadReport>;
}

/** One GET through a keep-alive agent: status and body, or the error. */
function get(url: URL, agent: import("node:http").Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, timeout: 5000 }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      response.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("no answer in 5 s")));
    req.on("error", reject);
    req.end();
  });
}

/**
 * Requests `url` continuously from `clients` loops (keep-alive connections, as browsers hold
 * them) until stopped. A request fails when it gets no answer or any status but 200.
 */
export async function startLoad(url: string, clients = 4, pauseMs = 20): Promise<LoadGenerator> {
  const { Agent } = await import("node:http");
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const target = new URL(url);
  let running = true;
  let requests = 0;
  let failed = 0;
  const versions: Record<string, number> = {};
  const failures: string[] = [];
  const loop = async () => {
    while (running) {
      requests++;
      try {
        const { status, body } = await get(target, agent);
        if (status !== 200) throw new Error(`HTTP ${status}: ${body.slice(0, 120).trim()}`);
        const version = /demo-app (v\d+)/u.exec(body)?.[1] ?? "unknown";
        versions[version] = (versions[version] ?? 0) + 1;
      } catch (error) {
        failed++;
        if (failures.length < 5) failures.push((error as Error).message);
      }
      // A short pause per client (at most ~200 requests/s in all) leaves the machine's cores to
      // the rollout being watched; without it 4 loops take a 2-core machine for themselves.
      await new Promise((done) => setTimeout(done, pauseMs));
    }
  };
  const loops = Array.from({ length: clients }, loop);
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return { requests, failed, versions, failures };
    },
  };
}
