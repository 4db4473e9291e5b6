import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { extractZip, listZip } from "../zip/index.js";
import { reportLine } from "./function-log.js";
import { NODE_BOOTSTRAP } from "./node-bootstrap.js";
import { PYTHON_BOOTSTRAP } from "./python-bootstrap.js";
import { handlerFiles, type RuntimeFamily, runtimeFamily } from "./runtimes.js";

/** What the runner needs of a function to run it (the stored configuration, as Lambda's). */
export interface RunnableFunction {
  readonly functionName: string;
  readonly functionArn: string;
  readonly runtime: string;
  readonly handler: string;
  /** Seconds. */
  readonly timeout: number;
  readonly memorySize: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly codeSha256: string;
}

export interface RunRequest {
  readonly fn: RunnableFunction;
  /** The zip; asked for only when this code has not been unpacked yet. */
  readonly code: () => Promise<Uint8Array>;
  /** The event, as JSON bytes. */
  readonly payload: Uint8Array;
  readonly requestId: string;
  /**
   * Opens the platform's variables (credentials, endpoints) for one process of this function;
   * the function's own Environment wins over none of them. `close` is called when the process
   * ends: a process started ahead for a warm start holds its variables until it is used or idle.
   */
  readonly platform: () => { readonly variables: Readonly<Record<string, string>>; close(): void };
  /** Aborting kills the function's process (an abandoned pipeline action). */
  readonly signal?: AbortSignal;
}

export interface RunResult {
  /** The handler's result as JSON, or the error document when `functionError` is set. */
  readonly payload: Uint8Array;
  readonly functionError?: "Unhandled";
  /** The error's errorType and errorMessage, when there was one. */
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
  /** START, the function's output, END and REPORT, as Lambda writes them to CloudWatch. */
  readonly log: string;
  readonly durationMs: number;
}

export interface FunctionRunnerOptions {
  /** Where unpacked code and the bootstraps are kept (inside the data directory). */
  readonly dir: string;
  /** node_modules offered to every function above its own (the SDK the Lambda runtime provides). */
  readonly runtimeModules?: string;
  /** `bwrap` sandboxes each process (read-only host, private /tmp and pid namespace, `hide` hidden); `none` runs it as is. */
  readonly sandbox: "bwrap" | "none";
  /** Directories a sandboxed function must not see (the data directory). */
  readonly hide?: readonly string[];
  /** How many functions run at once; more wait their turn. */
  readonly maxConcurrent?: number;
  readonly python?: string;
  /**
   * Warm starts: after an invocation, start the next process of the same function and code
   * ahead, so that it has loaded its handler when the next invocation comes (each invocation
   * still gets a fresh process). Default false.
   */
  readonly warm?: boolean;
  /** How long a process started ahead waits for an invocation before it ends (default 5 minutes). */
  readonly idleMs?: number;
}

interface Launched {
  readonly child: ChildProcess;
  readonly output: Buffer[];
  readonly result: Buffer[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

const IDLE_MS = 5 * 60_000;

/** Lambda's quota on the unzipped size of a function's code. */
export const MAX_UNZIPPED_BYTES = 250 * 1024 * 1024;

/**
 * Runs one invocation of a function as its own child process (no warm reuse: each invocation
 * starts clean, at about the cost of starting node): its code unpacked once per CodeSha256
 * under `dir/code/` (safe extraction: src/zip refuses entries that leave the directory), the
 * runtime's bootstrap, Lambda's variables, the function's timeout (SIGKILL, then Lambda's
 * "Task timed out after N.NN seconds") and memory (Node's heap limit), and the log.
 */
export function createFunctionRunner(options: FunctionRunnerOptions) {
  const codeRoot = join(options.dir, "code");
  const runtimeDir = join(options.dir, "runtime");
  mkdirSync(codeRoot, { recursive: true });
  mkdirSync(runtimeDir, { recursive: true });
  writeFileSync(join(runtimeDir, "bootstrap.cjs"), NODE_BOOTSTRAP);
  writeFileSync(join(runtimeDir, "bootstrap.py"), PYTHON_BOOTSTRAP);
  // ESM resolves bare names in the parent directories' node_modules (NODE_PATH is CommonJS's
  // only), so the provided modules sit in the code directories' parent: a function's own
  // node_modules, nearer, still wins.
  const provided = join(codeRoot, "node_modules");
  if (options.runtimeModules && !existsSync(provided)) symlinkSync(options.runtimeModules, provided, "dir");
  const runtimeModulesTarget =
    options.runtimeModules && existsSync(options.runtimeModules)
      ? realpathSync(options.runtimeModules)
      : undefined;
  const python = options.python ?? "python3";
  const unpacking = new Map<string, Promise<string>>();
  const slots = createSlots(options.maxConcurrent ?? 10);
  const spares = new Map<string, { launched: Launched; idle: NodeJS.Timeout }>();
  let closed = false;

  async function codeDir(codeSha256: string, code: () => Promise<Uint8Array>): Promise<string> {
    const name = Buffer.from(codeSha256, "base64").toString("hex");
    const dir = join(codeRoot, name);
    if (existsSync(dir)) return dir;
    let pending = unpacking.get(name);
    if (!pending) {
      pending = (async () => {
        const temp = `${dir}.unpacking-${process.pid}-${Date.now()}`;
        try {
          await extractZip(await code(), temp);
        } catch (error) {
          rmSync(temp, { recursive: true, force: true });
          throw error;
        }
        renameSync(temp, dir);
        return dir;
      })().finally(() => unpacking.delete(name));
      unpacking.set(name, pending);
    }
    return pending;
  }

  function command(family: RuntimeFamily, fn: RunnableFunction): [string, string[]] {
    if (family === "node")
      return [process.execPath, [`--max-old-space-size=${fn.memorySize}`, join(runtimeDir, "bootstrap.cjs")]];
    return [python, ["-u", join(runtimeDir, "bootstrap.py")]];
  }

  function environment(
    fn: RunnableFunction,
    platform: Readonly<Record<string, string>>,
    taskRoot: string,
  ): Record<string, string> {
    return {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      LANG: "en_US.UTF-8",
      TZ: ":UTC",
      ...fn.environment,
      ...platform,
      ...(options.runtimeModules ? { NODE_PATH: provided } : {}),
      LAMBDA_TASK_ROOT: taskRoot,
      LAMBDA_RUNTIME_DIR: runtimeDir,
      _HANDLER: fn.handler,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `pipewright/[$LATEST]${randomUUID().replaceAll("-", "")}`,
      PIPEWRIGHT_FUNCTION_ARN: fn.functionArn,
    };
  }

  function start(program: string, args: string[], cwd: string, env: Record<string, string>): ChildProcess {
    const stdio: ("pipe" | "ignore")[] = ["pipe", "pipe", "pipe", "pipe"];
    if (options.sandbox === "none") return spawn(program, args, { cwd, env, stdio, detached: true });
    const bwrap = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"];
    for (const dir of options.hide ?? []) bwrap.push("--tmpfs", dir);
    // The code and the bootstraps live in the hidden data directory: shown again, read-only.
    bwrap.push("--ro-bind", options.dir, options.dir);
    // The SDKs the runtime provides stay visible where the symlink in the code's parent points,
    // also when Pipewright itself is installed under /tmp (which the sandbox covers).
    if (runtimeModulesTarget) bwrap.push("--ro-bind", runtimeModulesTarget, runtimeModulesTarget);
    bwrap.push("--unshare-pid", "--die-with-parent", "--chdir", cwd, "--", program, ...args);
    return spawn("bwrap", bwrap, { cwd, env, stdio, detached: true });
  }

  /**
   * Starts a function's process: it loads the handler (Lambda's init) and waits on stdin for
   * its one invocation; output is collected from the start, so init's lines belong to it.
   */
  function launch(req: RunRequest, family: RuntimeFamily, taskRoot: string): Launched {
    const platform = req.platform();
    const [program, args] = command(family, req.fn);
    const child = start(program, args, taskRoot, environment(req.fn, platform.variables, taskRoot));
    const launched: Launched = {
      child,
      output: [],
      result: [],
      exited: new Promise((done) => {
        child.on("close", (code, signal) => {
          // Stray processes the function left behind end with it.
          if (child.pid !== undefined) {
            try {
              process.kill(-child.pid, "SIGKILL");
            } catch {}
          }
          platform.close();
          done({ code, signal });
        });
      }),
      kill() {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      },
    };
    child.stdout?.on("data", (d: Buffer) => launched.output.push(d));
    child.stderr?.on("data", (d: Buffer) => launched.output.push(d));
    (child.stdio[3] as Readable | null)?.on("data", (d: Buffer) => launched.result.push(d));
    child.stdin?.on("error", () => {});
    child.on("error", (error) => launched.output.push(Buffer.from(`${error.message}\n`)));
    return launched;
  }

  /** A process started ahead for the next invocation of the same function and code (warm start). */
  function takeSpare(key: string): Launched | undefined {
    const spare = spares.get(key);
    spares.delete(key);
    if (!spare) return undefined;
    clearTimeout(spare.idle);
    const alive = spare.launched.child.exitCode === null && spare.launched.child.signalCode === null;
    if (!alive) return undefined;
    return spare.launched;
  }

  function prepareSpare(key: string, req: RunRequest, family: RuntimeFamily, taskRoot: string): void {
    if (!options.warm || closed || spares.has(key)) return;
    const launched = launch(req, family, taskRoot);
    const idle = setTimeout(() => {
      if (spares.get(key)?.launched === launched) spares.delete(key);
      launched.kill();
    }, options.idleMs ?? IDLE_MS);
    idle.unref();
    spares.set(key, { launched, idle });
    void launched.exited.then(() => {
      if (spares.get(key)?.launched === launched) spares.delete(key);
    });
  }

  async function run(req: RunRequest): Promise<RunResult> {
    const family = runtimeFamily(req.fn.runtime);
    if (!family) throw new Error(`function runner: runtime ${req.fn.runtime} is not supported`);
    const taskRoot = await codeDir(req.fn.codeSha256, req.code);
    const key = JSON.stringify([
      req.fn.functionArn,
      req.fn.codeSha256,
      req.fn.runtime,
      req.fn.handler,
      req.fn.memorySize,
      req.fn.environment,
    ]);
    const release = await slots.take();
    try {
      const launched = takeSpare(key) ?? launch(req, family, taskRoot);
      const result = await invokeIn(launched, req);
      // The next invocation of this function finds a process that has loaded its handler.
      prepareSpare(key, req, family, taskRoot);
      return result;
    } finally {
      release();
    }
  }

  async function invokeIn(launched: Launched, req: RunRequest): Promise<RunResult> {
    const started = performance.now();
    const timeoutMs = req.fn.timeout * 1000;
    const payload = Buffer.from(req.payload).toString("utf8");
    launched.child.stdin?.end(
      `{"requestId":${JSON.stringify(req.requestId)},"deadline":${Date.now() + timeoutMs},"event":${payload}}`,
    );
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      launched.kill();
    }, timeoutMs);
    const onAbort = () => launched.kill();
    req.signal?.addEventListener("abort", onAbort);
    const { code, signal } = await launched.exited;
    clearTimeout(timer);
    req.signal?.removeEventListener("abort", onAbort);
    const durationMs = performance.now() - started;
    const outcome = decide(Buffer.concat(launched.result).toString("utf8"), { code, signal, timedOut }, req);
    const body = Buffer.concat(launched.output).toString("utf8");
    const log = [
      `START RequestId: ${req.requestId} Version: $LATEST`,
      ...(body === "" ? [] : [body.replace(/\n$/u, "")]),
      ...(timedOut
        ? [
            `${new Date().toISOString()} ${req.requestId} Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
          ]
        : []),
      `END RequestId: ${req.requestId}`,
      reportLine(req.requestId, durationMs, req.fn.memorySize),
      "",
    ].join("\n");
    return { ...outcome, log, durationMs };
  }

  return {
    run,
    /** Ends the processes started ahead (a stopping server; they also end when it dies). */
    shutdown(): void {
      closed = true;
      for (const spare of spares.values()) {
        clearTimeout(spare.idle);
        spare.launched.kill();
      }
      spares.clear();
    },
    /**
     * Why this code cannot run this handler, in words for InvalidParameterValueException, or
     * undefined when it can: not a zip, too large unzipped, no file for the handler's module.
     */
    async checkCode(zip: Uint8Array, runtime: string, handler: string): Promise<string | undefined> {
      const family = runtimeFamily(runtime);
      if (!family) return `runtime ${runtime} is not supported`;
      let entries: Awaited<ReturnType<typeof listZip>>;
      try {
        entries = await listZip(zip);
      } catch (error) {
        return `Could not unzip uploaded file. Please check your file, then try to upload again. (${(error as Error).message})`;
      }
      const unzipped = entries.reduce((total, e) => total + e.size, 0);
      if (unzipped > MAX_UNZIPPED_BYTES)
        return `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes (this code unzips to ${unzipped})`;
      const files = handlerFiles(family, handler);
      if (!files) return `Handler '${handler}' must be <module>.<function>, such as index.handler`;
      const names = new Set(entries.map((e) => e.name.replace(/^\.\//u, "")));
      if (!files.some((f) => names.has(f)))
        return `The handler ${handler} names module file ${files.join(" or ")}, which the function's zip does not contain; zip the file at the archive's root (or fix Handler)`;
      // Unpacked now (once per CodeSha256, where invocations find it): an entry that would land
      // outside the directory, or any other unsafe archive, is refused before anything runs.
      try {
        await codeDir(createHash("sha256").update(zip).digest("base64"), async () => zip);
      } catch (error) {
        return `The zip cannot be unpacked safely: ${(error as Error).message}; build the archive from inside the function's directory`;
      }
      return undefined;
    },
    /** Removes code unpacked for a CodeSha256 nothing uses any more. */
    forget(codeSha256: string): void {
      rmSync(join(codeRoot, Buffer.from(codeSha256, "base64").toString("hex")), {
        recursive: true,
        force: true,
      });
    },
  };
}

export type FunctionRunner = ReturnType<typeof createFunctionRunner>;

/** Whether bubblewrap can sandbox functions here. */
export function bwrapWorks(): boolean {
  const probe = spawnSync("bwrap", ["--ro-bind", "/", "/", "--dev", "/dev", "--unshare-pid", "true"], {
    stdio: "ignore",
    timeout: 5000,
  });
  return probe.status === 0;
}

function decide(
  text: string,
  exit: { code: number | null; signal: NodeJS.Signals | null; timedOut: boolean },
  req: RunRequest,
): Pick<RunResult, "payload" | "functionError" | "error"> {
  const failed = (errorType: string, errorMessage: string, extra: Record<string, unknown> = {}) => ({
    payload: Buffer.from(JSON.stringify({ errorType, errorMessage, ...extra })),
    functionError: "Unhandled" as const,
    error: { errorType, errorMessage },
  });
  if (exit.timedOut) {
    const message = `${new Date().toISOString()} ${req.requestId} Task timed out after ${req.fn.timeout.toFixed(2)} seconds`;
    return {
      payload: Buffer.from(JSON.stringify({ errorMessage: message })),
      functionError: "Unhandled",
      error: { errorType: "Sandbox.Timedout", errorMessage: message },
    };
  }
  let document: { payload?: unknown; error?: { errorType: string; errorMessage: string } } | undefined;
  try {
    document = text === "" ? undefined : JSON.parse(text);
  } catch {
    document = undefined;
  }
  if (document?.error) {
    return {
      payload: Buffer.from(JSON.stringify(document.error)),
      functionError: "Unhandled",
      error: { errorType: document.error.errorType, errorMessage: document.error.errorMessage },
    };
  }
  if (document && "payload" in document) return { payload: Buffer.from(JSON.stringify(document.payload)) };
  const how = exit.signal
    ? `signal: ${exit.signal.toLowerCase().replace(/^sig/u, "")}`
    : `exit status ${exit.code}`;
  return failed("Runtime.ExitError", `RequestId: ${req.requestId} Error: Runtime exited with error: ${how}`);
}

/** A counting semaphore: `take` resolves once a slot is free. */
function createSlots(size: number) {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    async take(): Promise<() => void> {
      if (free > 0) free--;
      else await new Promise<void>((wake) => waiting.push(wake));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const next = waiting.shift();
        if (next) next();
        else free++;
      };
    },
  };
}
