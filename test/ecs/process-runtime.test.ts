import { createProcessTaskRuntime } from "../../src/task-runtime/process-runtime.js";
import { describeTaskRuntimeContract } from "../../src/task-runtime/task-runtime.contract.js";
import type { ContainerSpec } from "../../src/task-runtime/types.js";

const runtime = createProcessTaskRuntime({ baseEnv: { PATH: "/usr/bin:/bin" } });

describeTaskRuntimeContract("host-process", () => ({
  runtime,
  shell: (name, line, extra = {}): ContainerSpec => ({
    name,
    image: "ignored:by-host-process",
    entryPoint: ["/bin/sh", "-c"],
    command: [line],
    environment: {},
    ports: [],
    labels: {},
    ...extra,
  }),
  unstartable: (name) => ({
    spec: { name, image: "x", command: ["/no/such/program"], environment: {}, ports: [], labels: {} },
    message: /cannot run \/no\/such\/program for container/u,
  }),
}));
