import { expect, it } from "vitest";
import { runLoadBalancedRollout } from "./load-balanced-rollout.js";

// Issue 12's zero-downtime acceptance (test/ecs/load-balanced-rollout.ts) with the host-process
// runtime, so it needs no engine: busybox httpd listens on the PORT the runtime gives it.
it("rolls v1 to v2 under continuous load through the load balancer with no failed request, as host processes", {
  timeout: 180_000,
}, async () => {
  const report = await runLoadBalancedRollout({
    env: { PIPEWRIGHT_ECS_RUNTIME: "process" },
    container: (version) => ({
      name: "web",
      image: `web:${version}`,
      essential: true,
      entryPoint: ["/bin/sh", "-c"],
      command: [
        `d=$(mktemp -d) && echo ${version} > $d/index.html && exec busybox httpd -f -p 127.0.0.1:$PORT -h $d`,
      ],
      portMappings: [{ containerPort: 8080, hostPort: 0 }],
      healthCheck: {
        command: ["CMD-SHELL", "busybox wget -q -O /dev/null http://127.0.0.1:$PORT/"],
        interval: 5,
        timeout: 2,
        retries: 1,
      },
      stopTimeout: 2,
    }),
  });
  console.log(`load-balanced rollout v1 -> v2 (host processes): ${JSON.stringify(report)}`);
  expect(report.failed).toBe(0);
});
