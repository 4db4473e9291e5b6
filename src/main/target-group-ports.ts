import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { TargetGroupPorts } from "../runtime/ecs/target-groups.js";

/**
 * Target groups' listener ports in a JSON file of the data directory (`load-balancers.json`), so
 * a service's load balancer listens on the same port after a restart. A missing or unreadable
 * file starts empty; writes replace it atomically.
 */
export function fileTargetGroupPorts(path: string): TargetGroupPorts {
  let ports: Record<string, number> = {};
  try {
    const read = JSON.parse(readFileSync(path, "utf8")) as unknown;
    if (read && typeof read === "object") ports = read as Record<string, number>;
  } catch {
    ports = {};
  }
  return {
    get: (arn) => (typeof ports[arn] === "number" ? ports[arn] : undefined),
    set(arn, port) {
      ports = { ...ports, [arn]: port };
      writeFileSync(`${path}.tmp`, `${JSON.stringify(ports, null, 2)}\n`);
      renameSync(`${path}.tmp`, path);
    },
  };
}
