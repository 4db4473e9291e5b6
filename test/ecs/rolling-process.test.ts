import { expect, it } from "vitest";
import { createProcessTaskRuntime } from "../../src/task-runtime/process-runtime.js";
import { runRollingScenario } from "./rolling-harness.js";

// The rolling scenario with no container engine: busybox httpd as host processes (PORT env).
it("rolls a 3-task service v1 -> v2 and rolls a broken v3 back to v2, as host processes", {
  timeout: 180_000,
}, async () => {
  const report = await runRollingScenario(
    { process: createProcessTaskRuntime({ baseEnv: { PATH: "/usr/bin:/bin" } }) },
    (version, healthy) => ({
      name: "web",
      image: `web:${version}`,
      entryPoint: ["/bin/sh", "-c"],
      command: [
        `d=$(mktemp -d) && echo ${version} > $d/index.html && exec busybox httpd -f -p 127.0.0.1:$PORT -h $d`,
      ],
      portMappings: [{ containerPort: 8080, hostPort: 0 }],
      healthCheck: {
        command: ["CMD-SHELL", healthy ? "busybox wget -q -O /dev/null http://127.0.0.1:$PORT/" : "exit 1"],
        interval: 5,
        timeout: 2,
        retries: 1,
      },
      stopTimeout: 1,
    }),
    async (task) => {
      const port = task.task.containers[0]!.networkBindings[0]!.hostPort;
      return (await fetch(`http://127.0.0.1:${port}/`)).text();
    },
  );
  console.log(`host-process rolling: ${JSON.stringify(report)}`);
  expect(report.v2Ms).toBeGreaterThan(0);
});
