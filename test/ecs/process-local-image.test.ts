import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createProcessTaskRuntime, processWorkingDirectory } from "../../src/task-runtime/process-runtime.js";

// A local image (an absolute directory path as `image`, what `pipewright demo` builds without a
// container engine) is where a host-process task starts; any other image is not used.
describe("local images of the host-process runtime", () => {
  const root = mkdtempSync(join(tmpdir(), "pw-local-image-"));
  const image = join(root, "release-1");
  mkdirSync(join(image, "site"), { recursive: true });
  writeFileSync(join(image, "site", "page.txt"), "from the image\n");
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("starts the process in the image directory, a relative workingDirectory inside it", () => {
    expect(processWorkingDirectory({ image })).toBe(image);
    expect(processWorkingDirectory({ image, workingDirectory: "site" })).toBe(join(image, "site"));
    expect(processWorkingDirectory({ image, workingDirectory: "/srv" })).toBe("/srv");
    expect(processWorkingDirectory({ image: "web:v1", workingDirectory: "/srv" })).toBe("/srv");
    expect(processWorkingDirectory({ image: "web:v1" })).toBeUndefined();
    expect(processWorkingDirectory({ image: join(root, "missing") })).toBeUndefined();
  });

  it("runs the command and its health check there", async () => {
    const runtime = createProcessTaskRuntime();
    const started = await runtime.start({
      name: "local-image",
      image,
      command: ["/bin/sh", "-c", "cat site/page.txt; sleep 30"],
      environment: {},
      ports: [],
      labels: { test: "1" },
    });
    try {
      await expect.poll(() => runtime.logs(started.runtimeId)).toContain("from the image");
      expect(
        (await runtime.exec(started.runtimeId, ["CMD", "test", "-f", "site/page.txt"], 5000)).exitCode,
      ).toBe(0);
      expect(
        (await runtime.exec(started.runtimeId, ["CMD", "test", "-f", "nothing.txt"], 5000)).exitCode,
      ).toBe(1);
    } finally {
      await runtime.stop(started.runtimeId, 1);
      await runtime.remove(started.runtimeId);
    }
  });
});
