import { request } from "node:http";
import type { HealthCheckResult } from "./core/target-health.js";

/** ELBv2's health checker identifies itself so; some apps special-case it. */
export const HEALTH_CHECK_USER_AGENT = "ELB-HealthChecker/2.0";

/**
 * One HTTP health check: `GET path` on a fresh connection. Resolves with what it saw; never
 * rejects. The timeout is the caller's (it aborts through `signal`, driven by its clock), so
 * this function starts no timer of its own.
 */
export function checkTargetHealth(
  target: { host: string; port: number },
  path: string,
  matcher: (status: number) => boolean,
  signal: AbortSignal,
): Promise<HealthCheckResult> {
  return new Promise((resolve) => {
    const req = request({
      host: target.host,
      port: target.port,
      path,
      method: "GET",
      agent: false,
      headers: { "user-agent": HEALTH_CHECK_USER_AGENT, connection: "close" },
      signal,
    });
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      res.on("error", () => {});
      req.destroy();
      resolve({ kind: "response", status, matched: matcher(status) });
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (signal.aborted) resolve({ kind: "timeout" });
      else resolve({ kind: "error", message: e.code ?? e.message });
    });
    req.end();
  });
}
