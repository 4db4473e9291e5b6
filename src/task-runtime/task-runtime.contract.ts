// The behaviour every TaskRuntime shows (types.ts states it in words). Run by
// test/ecs/docker-runtime.test.ts and test/ecs/process-runtime.test.ts; the .contract.ts suffix
// keeps it out of the published build.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ContainerSpec, TaskRuntime } from "./types.js";

export interface RuntimeHarness {
  readonly runtime: TaskRuntime;
  /** A spec running `line` through /bin/sh -c, with `busybox` on its PATH. */
  readonly shell: (name: string, line: string, extra?: Partial<ContainerSpec>) => ContainerSpec;
  /** A spec that cannot start (no such image, no such program), and the words its error must contain. */
  readonly unstartable: (name: string) => { spec: ContainerSpec; message: RegExp };
}

const LABEL = "pipewright.ecs.task-arn";
let n = 0;
const unique = (what: string) => `pw-contract-${process.pid}-${++n}-${what}`;

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function describeTaskRuntimeContract(
  name: string,
  harness: () => RuntimeHarness | { skip: string },
): void {
  describe(`${name} task runtime`, { timeout: 60_000 }, () => {
    const started: string[] = [];
    afterEach(async () => {
      const h = harness();
      if ("skip" in h) return;
      for (const id of started.splice(0)) await h.runtime.remove(id);
    });
    const setup = (skip: (reason: string) => void) => {
      const h = harness();
      if ("skip" in h) {
        skip(h.skip);
        throw new Error("unreachable");
      }
      return h;
    };
    const start = async (h: RuntimeHarness, spec: ContainerSpec) => {
      const container = await h.runtime.start(spec);
      started.push(container.runtimeId);
      return container;
    };

    it("runs a server with its environment on an ephemeral host port, labelled for adoption", async ({
      skip,
    }) => {
      const h = setup(skip);
      const spec = h.shell(
        unique("web"),
        'mkdir -p /tmp/www-$$ && echo "hello $GREETING" > /tmp/www-$$/index.html && exec busybox httpd -f -p "$PORT" -h /tmp/www-$$',
        {
          environment: { GREETING: "ecs", PORT: "8080" },
          ports: [{ containerPort: 8080, hostPort: 0, protocol: "tcp" }],
          labels: { [LABEL]: "arn:task/1" },
        },
      );
      const container = await start(h, spec);
      expect(container.bindings).toHaveLength(1);
      const binding = container.bindings[0]!;
      expect(binding.containerPort).toBe(8080);
      expect(binding.hostPort).toBeGreaterThan(0);
      const body = await eventually(
        () =>
          fetch(`http://127.0.0.1:${binding.hostPort}/`).then(
            (r) => r.text(),
            () => "",
          ),
        (text) => text !== "",
      );
      expect(body.trim()).toBe("hello ecs");
      expect(await h.runtime.inspect(container.runtimeId)).toEqual({ status: "running" });
      const listed = (await h.runtime.list(LABEL)).find((c) => c.runtimeId === container.runtimeId);
      expect(listed).toMatchObject({ running: true, labels: { [LABEL]: "arn:task/1" } });
      expect(listed?.bindings.map((b) => b.hostPort)).toEqual([binding.hostPort]);
    });

    it("reports an exit code and keeps the output as logs", async ({ skip }) => {
      const h = setup(skip);
      const container = await start(
        h,
        h.shell(unique("exit"), "echo out-line; echo err-line >&2; exit 3", { labels: {} }),
      );
      const state = await eventually(
        () => h.runtime.inspect(container.runtimeId),
        (s) => s.status === "exited",
      );
      expect(state).toMatchObject({ status: "exited", exitCode: 3 });
      const logs = await h.runtime.logs(container.runtimeId);
      expect(logs).toContain("out-line");
      expect(logs).toContain("err-line");
    });

    it("stops with SIGTERM, and with SIGKILL after the stop timeout when SIGTERM is ignored", async ({
      skip,
    }) => {
      const h = setup(skip);
      const polite = await start(
        h,
        h.shell(unique("polite"), "trap 'exit 0' TERM; while true; do sleep 0.1; done"),
      );
      const stubborn = await start(
        h,
        h.shell(unique("stubborn"), "trap '' TERM; while true; do sleep 0.1; done"),
      );
      await new Promise((resolve) => setTimeout(resolve, 300)); // let the shells install their traps
      let t = Date.now();
      await h.runtime.stop(polite.runtimeId, 10);
      const politeMs = Date.now() - t;
      expect(politeMs).toBeLessThan(5_000);
      expect(await h.runtime.inspect(polite.runtimeId)).toMatchObject({ status: "exited", exitCode: 0 });
      t = Date.now();
      await h.runtime.stop(stubborn.runtimeId, 1);
      const stubbornMs = Date.now() - t;
      expect(stubbornMs).toBeGreaterThanOrEqual(900);
      expect(stubbornMs).toBeLessThan(8_000);
      expect(await h.runtime.inspect(stubborn.runtimeId)).toMatchObject({ status: "exited", exitCode: 137 });
      await h.runtime.stop(stubborn.runtimeId, 1); // stopping again is harmless
    });

    it("runs health check commands inside: CMD-SHELL and CMD exit codes, a timeout counts as failed", async ({
      skip,
    }) => {
      const h = setup(skip);
      const container = await start(
        h,
        h.shell(unique("health"), "touch /tmp/ready-$$; while true; do sleep 0.1; done"),
      );
      expect(await h.runtime.exec(container.runtimeId, ["CMD-SHELL", "exit 0"], 5_000)).toEqual({
        exitCode: 0,
      });
      expect(await h.runtime.exec(container.runtimeId, ["CMD-SHELL", "exit 4"], 5_000)).toEqual({
        exitCode: 4,
      });
      expect(await h.runtime.exec(container.runtimeId, ["CMD", "busybox", "false"], 5_000)).toEqual({
        exitCode: 1,
      });
      const t = Date.now();
      expect(await h.runtime.exec(container.runtimeId, ["CMD-SHELL", "sleep 5"], 500)).toEqual({
        exitCode: -1,
      });
      expect(Date.now() - t).toBeLessThan(3_000);
    });

    it("rejects a container that cannot start, with the reason, and leaves nothing running", async ({
      skip,
    }) => {
      const h = setup(skip);
      const { spec, message } = h.unstartable(unique("broken"));
      await expect(h.runtime.start({ ...spec, labels: { [LABEL]: "broken" } })).rejects.toThrow(message);
      expect((await h.runtime.list(LABEL)).filter((c) => c.labels[LABEL] === "broken" && c.running)).toEqual(
        [],
      );
    });

    it("puts pathPrefix first on PATH and shows mounted host directories at the same path", async ({
      skip,
    }) => {
      const h = setup(skip);
      const dir = mkdtempSync(join(tmpdir(), "pw-contract-mount-"));
      try {
        writeFileSync(join(dir, "hello.txt"), "from the host\n");
        const spec = h.shell(unique("mount"), `echo "path=$PATH"; cat ${dir}/hello.txt`);
        const { PATH: _path, ...environment } = spec.environment;
        const container = await start(h, { ...spec, environment, mounts: [dir], pathPrefix: [dir] });
        await eventually(
          () => h.runtime.inspect(container.runtimeId),
          (s) => s.status === "exited",
        );
        const logs = await h.runtime.logs(container.runtimeId);
        expect(logs).toContain(`path=${dir}:`);
        expect(logs).toContain("from the host");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("with hostNetwork reaches a server on the host's loopback (how tasks reach Pipewright)", async ({
      skip,
    }) => {
      const h = setup(skip);
      const server = createServer((_req, res) => res.end("pipewright here\n"));
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      const port = (server.address() as AddressInfo).port;
      try {
        const container = await start(
          h,
          h.shell(unique("hostnet"), `busybox wget -q -O - http://127.0.0.1:${port}/`, {
            hostNetwork: true,
            ports: [{ containerPort: 18080, hostPort: 0, protocol: "tcp" }],
          }),
        );
        const state = await eventually(
          () => h.runtime.inspect(container.runtimeId),
          (s) => s.status === "exited",
        );
        expect(state).toMatchObject({ status: "exited", exitCode: 0 });
        expect(await h.runtime.logs(container.runtimeId)).toContain("pipewright here");
      } finally {
        server.close();
      }
    });

    it("forgets a removed container", async ({ skip }) => {
      const h = setup(skip);
      const container = await h.runtime.start(h.shell(unique("gone"), "while true; do sleep 0.1; done"));
      await h.runtime.remove(container.runtimeId);
      expect(await h.runtime.inspect(container.runtimeId)).toEqual({ status: "missing" });
      await h.runtime.remove(container.runtimeId);
    });
  });
}
