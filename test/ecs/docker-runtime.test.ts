import { beforeAll } from "vitest";
import { connectEngine } from "../../src/build-agent/executors/docker-engine.js";
import { createDockerTaskRuntime } from "../../src/task-runtime/docker-runtime.js";
import { describeTaskRuntimeContract } from "../../src/task-runtime/task-runtime.contract.js";
import type { ContainerSpec, TaskRuntime } from "../../src/task-runtime/types.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage } from "../support/images.js";

let runtime: TaskRuntime | undefined;
let reason = "no Docker Engine or Podman API answers (DOCKER_HOST, /var/run/docker.sock, Podman's socket)";

beforeAll(async () => {
  const engine = await connectEngine();
  if (!engine) return;
  try {
    await ensureBusyboxImage(engine.docker);
    runtime = createDockerTaskRuntime(engine.docker);
  } catch (error) {
    reason = `the busybox test image could not be built: ${(error as Error).message}`;
  }
}, 120_000);

describeTaskRuntimeContract("docker", () =>
  runtime
    ? {
        runtime,
        shell: (name, line, extra = {}): ContainerSpec => ({
          name,
          image: BUSYBOX_IMAGE,
          entryPoint: ["/bin/sh", "-c"],
          command: [line],
          environment: {},
          ports: [],
          labels: {},
          memoryMiB: 64,
          cpu: 256,
          ...extra,
        }),
        unstartable: (name) => ({
          spec: { name, image: "pipewright-test/no-such-image:404", environment: {}, ports: [], labels: {} },
          message: /cannot create container .* from image pipewright-test\/no-such-image:404/u,
        }),
      }
    : { skip: reason },
);
