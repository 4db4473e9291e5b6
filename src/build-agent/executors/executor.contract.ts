import { randomBytes, randomInt } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Executor, Mount, SessionSpec, ShellSession } from "../types.js";

/**
 * The behavioural suite every Executor passes (STYLE §1.1 #4): the ShellSession contract of
 * `build-agent/types.ts`, checked against a real shell. It is executor-agnostic: the harness
 * says how to make the executor, a build root and the spec fields the executor needs.
 *
 * Usage (in a `*.test.ts`):
 *   executorContract("host", {
 *     makeExecutor: () => createHostExecutor(),
 *     makeBuildRoot: async () => { const dir = mkdtempSync(...); return { hostPath: dir, mounts: [{ hostPath: dir, path: dir, readOnly: false }] }; },
 *     baseSpec: { env: { PATH: process.env.PATH ?? "" } },
 *   });
 */

export interface BuildRoot {
  /** A fresh, empty directory on the host. */
  readonly hostPath: string;
  /** The mounts that make it visible (read-write) to the build; the first one is the root itself. */
  readonly mounts: readonly Mount[];
}

export interface ExecutorContractHarness {
  /** Called once before the suite; a rejection fails every test (say why in its message). */
  makeExecutor(): Promise<Executor> | Executor;
  /** A fresh build root for one test. */
  makeBuildRoot(): Promise<BuildRoot> | BuildRoot;
  /** Removes a build root after its test (default: `rm -rf` of `hostPath`). */
  removeBuildRoot?(root: BuildRoot): Promise<void> | void;
  /** Spec fields the executor needs besides what each test sets: `image`, PATH in `env`, `shell`. */
  readonly baseSpec?: Partial<SessionSpec>;
  /**
   * Whether the session's processes appear in this host's /proc (true for host and sandbox
   * executors and for containers of a local engine; false for an engine in another VM). When
   * true, the kill test also checks that a background `sleep` is gone from /proc.
   */
  readonly processesVisibleOnHost?: boolean;
  /** Skips the suite with this reason (printed). */
  readonly skip?: string | false;
}

interface Running {
  readonly session: ShellSession;
  /** Everything the session wrote so far. */
  text(): string;
  /** Resolves with the whole output once `output` ends. */
  readonly ended: Promise<string>;
  /** Resolves once the output contains `needle` (rejects after `ms`). */
  waitFor(needle: string, ms?: number): Promise<void>;
}

function watch(session: ShellSession): Running {
  const chunks: Buffer[] = [];
  let waiters: Array<() => void> = [];
  session.output.on("data", (chunk: Buffer | string) => {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    for (const wake of waiters) wake();
  });
  const text = () => Buffer.concat(chunks).toString("utf8");
  const ended = new Promise<string>((resolve, reject) => {
    session.output.on("end", () => resolve(text()));
    session.output.on("error", reject);
  });
  const waitFor = (needle: string, ms = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!text().includes(needle)) return;
        clearTimeout(timer);
        waiters = waiters.filter((w) => w !== check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w !== check);
        reject(
          new Error(`output never contained ${JSON.stringify(needle)}; it was ${JSON.stringify(text())}`),
        );
      }, ms);
      waiters.push(check);
      check();
    });
  return { session, text, ended, waitFor };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pids of this host's processes whose command line is exactly `argv`. */
function processesRunning(argv: readonly string[]): number[] {
  const wanted = `${argv.join("\0")}\0`;
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8") === wanted) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "";
  }
}

export function executorContract(name: string, harness: ExecutorContractHarness): void {
  const skip = harness.skip;
  if (skip) process.stdout.write(`skipping the executor contract for ${name}: ${skip}\n`);

  describe.skipIf(Boolean(skip))(`executor contract: ${name}`, () => {
    let executor: Executor;
    const sessions: ShellSession[] = [];
    const roots: BuildRoot[] = [];

    beforeAll(async () => {
      executor = await harness.makeExecutor();
    });

    afterEach(async () => {
      await Promise.all(sessions.splice(0).map((session) => session.kill()));
      for (const root of roots.splice(0)) {
        if (harness.removeBuildRoot) await harness.removeBuildRoot(root);
        else rmSync(root.hostPath, { recursive: true, force: true });
      }
    });

    afterAll(() => {
      // nothing: each test cleans up after itself
    });

    async function buildRoot(): Promise<BuildRoot> {
      const root = await harness.makeBuildRoot();
      roots.push(root);
      return root;
    }

    function specFor(root: BuildRoot, script: string, overrides: Partial<SessionSpec> = {}): SessionSpec {
      const base = harness.baseSpec ?? {};
      const rootInside = executor.pathInside(root.hostPath, root.mounts);
      return {
        shell: "sh",
        workdir: rootInside,
        mounts: root.mounts,
        privileged: false,
        label: `contract-${randomBytes(3).toString("hex")}`,
        ...base,
        ...overrides,
        script,
        env: { ...base.env, ...overrides.env },
      };
    }

    async function start(
      script: string,
      overrides: Partial<SessionSpec> = {},
      root?: BuildRoot,
    ): Promise<Running> {
      const spec = specFor(root ?? (await buildRoot()), script, overrides);
      const session = await executor.start(spec);
      sessions.push(session);
      return watch(session);
    }

    it("describes itself for the build log", () => {
      expect(executor.describe()).toMatch(/\S/);
    });

    it("runs the -c script and reports exit code 0", async () => {
      const run = await start("echo hello from the build");
      expect(await within(run.session.exited, 20_000, "exit")).toEqual({ code: 0 });
      expect(await within(run.ended, 5_000, "end of output")).toBe("hello from the build\n");
    });

    it("reports non-zero exit codes", async () => {
      const three = await start("echo before; exit 3");
      const failing = await start("false");
      expect((await within(three.session.exited, 20_000, "exit")).code).toBe(3);
      expect((await within(failing.session.exited, 20_000, "exit")).code).toBe(1);
      expect(await within(three.ended, 5_000, "end of output")).toBe("before\n");
    });

    it("carries stdout and stderr on output, in order once the script does exec 2>&1", async () => {
      const run = await start("exec 2>&1; echo one; echo two >&2; echo three; echo four >&2");
      await within(run.session.exited, 20_000, "exit");
      expect(await within(run.ended, 5_000, "end of output")).toBe("one\ntwo\nthree\nfour\n");
    });

    it("does not drop stderr written before exec 2>&1", async () => {
      const run = await start("echo early-error >&2; exec 2>&1; echo late");
      await within(run.session.exited, 20_000, "exit");
      const text = await within(run.ended, 5_000, "end of output");
      expect(text).toContain("early-error\n");
      expect(text).toContain("late\n");
    });

    it("passes lines written to stdin to the script as they come, and ends its input on stdin.end()", async () => {
      const run = await start('while read -r line; do echo "got:$line"; done; echo eof');
      run.session.stdin.write("first line\n");
      await run.waitFor("got:first line\n");
      run.session.stdin.write("second\n");
      await run.waitFor("got:second\n");
      expect(run.text()).not.toContain("eof");
      run.session.stdin.end();
      expect(await within(run.session.exited, 20_000, "exit")).toEqual({ code: 0 });
      expect(await within(run.ended, 5_000, "end of output")).toBe("got:first line\ngot:second\neof\n");
    });

    it("gives the shell the spec's environment", async () => {
      const env = {
        PW_PLAIN: "value",
        PW_SPACES: "a b  c",
        PW_SYMBOLS: "x=y;$HOME'\"",
        PW_UNICODE: "héllo ✓",
      };
      const run = await start(
        'printf "%s|%s|%s|%s\\n" "$PW_PLAIN" "$PW_SPACES" "$PW_SYMBOLS" "$PW_UNICODE"',
        {
          env,
        },
      );
      await within(run.session.exited, 20_000, "exit");
      expect(await within(run.ended, 5_000, "end of output")).toBe(
        `${env.PW_PLAIN}|${env.PW_SPACES}|${env.PW_SYMBOLS}|${env.PW_UNICODE}\n`,
      );
    });

    it("starts the shell in the spec's working directory", async () => {
      const root = await buildRoot();
      mkdirSync(join(root.hostPath, "work", "dir"), { recursive: true });
      const workdir = executor.pathInside(join(root.hostPath, "work", "dir"), root.mounts);
      const run = await start("pwd", { workdir }, root);
      expect((await within(run.session.exited, 20_000, "exit")).code).toBe(0);
      expect(await within(run.ended, 5_000, "end of output")).toBe(`${workdir}\n`);
    });

    it("shares the mounted build root with the host both ways", async () => {
      const root = await buildRoot();
      writeFileSync(join(root.hostPath, "from-host.txt"), "written on the host\n");
      const inside = executor.pathInside(root.hostPath, root.mounts);
      const run = await start(
        `cat "${inside}/from-host.txt" && mkdir -p "${inside}/out" && echo "written by the build" > "${inside}/out/result.txt"`,
        {},
        root,
      );
      expect((await within(run.session.exited, 20_000, "exit")).code).toBe(0);
      expect(await within(run.ended, 5_000, "end of output")).toBe("written on the host\n");
      expect(readFileSync(join(root.hostPath, "out", "result.txt"), "utf8")).toBe("written by the build\n");
    });

    it("streams a large output without losing bytes", async () => {
      const size = 1 << 20;
      const run = await start(`head -c ${size} /dev/zero | tr '\\0' x; echo; echo done`);
      expect((await within(run.session.exited, 20_000, "exit")).code).toBe(0);
      const text = await within(run.ended, 10_000, "end of output");
      expect(text.length).toBe(size + "\ndone\n".length);
      expect(text.slice(0, size)).toBe("x".repeat(size));
      expect(text.endsWith("\ndone\n")).toBe(true);
    });

    it("runs sessions concurrently", async () => {
      const script = 'read -r line; echo "$PW_WHO:$line"';
      const a = await start(script, { env: { PW_WHO: "a" } });
      const b = await start(script, { env: { PW_WHO: "b" } });
      // Both are running at once: each waits for its input.
      b.session.stdin.end("to-b\n");
      a.session.stdin.end("to-a\n");
      const [exitA, exitB] = await within(Promise.all([a.session.exited, b.session.exited]), 20_000, "exits");
      expect([exitA.code, exitB.code]).toEqual([0, 0]);
      expect(await within(a.ended, 5_000, "end of a's output")).toBe("a:to-a\n");
      expect(await within(b.ended, 5_000, "end of b's output")).toBe("b:to-b\n");
    });

    it("kill() ends a shell blocked on stdin and every process it started; killing twice is harmless", async () => {
      const root = await buildRoot();
      const inside = executor.pathInside(root.hostPath, root.mounts);
      const seconds = randomInt(100_000, 999_999); // makes the sleep findable in /proc
      const script = [
        `sleep ${seconds} &`,
        `(i=0; while :; do i=$((i+1)); echo $i > "${inside}/beat"; sleep 0.2; done) &`,
        "echo started",
        "read -r line",
        "echo never",
      ].join("\n");
      const run = await start(script, {}, root);
      await run.waitFor("started\n");
      const beat = join(root.hostPath, "beat");
      // The background jobs are alive before the kill (so this test can fail).
      const deadline = Date.now() + 10_000;
      while (Number(readOrEmpty(beat)) < 2 && Date.now() < deadline) await delay(50);
      expect(Number(readOrEmpty(beat))).toBeGreaterThanOrEqual(2);
      if (harness.processesVisibleOnHost !== false) {
        expect(processesRunning(["sleep", String(seconds)])).toHaveLength(1);
      }

      await within(run.session.kill(), 30_000, "kill()");
      if (harness.processesVisibleOnHost !== false) {
        expect(processesRunning(["sleep", String(seconds)])).toEqual([]);
      }
      const exit = await within(run.session.exited, 5_000, "exit after kill");
      expect(exit.code).toBeNull();
      await within(run.ended, 5_000, "end of output after kill");
      expect(run.text()).not.toContain("never");
      const lastBeat = readOrEmpty(beat);
      await delay(700);
      expect(readOrEmpty(beat)).toBe(lastBeat);

      await within(run.session.kill(), 10_000, "a second kill()");
    });

    it("kill() after the shell exited on its own is harmless", async () => {
      const run = await start("echo bye");
      expect((await within(run.session.exited, 20_000, "exit")).code).toBe(0);
      await within(run.session.kill(), 10_000, "kill() after exit");
      await within(run.session.kill(), 10_000, "a second kill()");
      expect(await run.session.exited).toEqual({ code: 0 });
      expect(await within(run.ended, 5_000, "end of output")).toBe("bye\n");
    });

    it("tolerates input written after the shell has gone (at most an EPIPE-like error event)", async () => {
      const run = await start("exit 0");
      await within(run.session.exited, 20_000, "exit");
      await within(run.ended, 5_000, "end of output");
      const errors: Error[] = [];
      run.session.stdin.on("error", (err) => errors.push(err));
      run.session.stdin.write("too late\n");
      run.session.stdin.end();
      await delay(100);
      expect(errors.filter((err) => !/EPIPE|destroyed|write after end/i.test(err.message))).toEqual([]);
    });
  });
}
