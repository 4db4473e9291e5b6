import { writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Executor, Mount, SessionSpec, ShellSession } from "../types.js";
import { bootstrapScript, environmentScript, shellQuote } from "./bootstrap.js";
import { OutputParser, type SessionSignal } from "./output-parser.js";

export interface BuildShellOptions {
  readonly executor: Executor;
  /** `sh`, `bash`, ... (`env.shell`). */
  readonly shell: string;
  /** Host directory for the session's files (commands, checkpoints); must be under a mount. */
  readonly tmpDir: string;
  readonly mounts: readonly Mount[];
  /** The build's variables, as the first command sees them. */
  readonly variables: readonly { name: string; value: string }[];
  /** Where the first command starts (a path as the build sees it). */
  readonly workdir: string;
  /** The shell process's own environment (PATH to find the shell; the build's come from env.sh). */
  readonly processEnv: Readonly<Record<string, string>>;
  readonly image?: string;
  readonly privileged: boolean;
  readonly label: string;
  /** Container sessions: SessionSpec.pathPrefix and hostNetwork. */
  readonly pathPrefix?: readonly string[];
  readonly hostNetwork?: boolean;
  /** Every output line of every command, unmasked (the caller masks). */
  readonly onOutput: (line: string) => void;
}

/** The end of one command: its exit status, or how the session ended under it. */
export type CommandResult =
  | { readonly kind: "exited"; readonly status: number }
  | { readonly kind: "killed" };

/**
 * One build's shell (see bootstrap.ts for the protocol): runs commands one at a time in a
 * single long-lived shell, restarting it from the last checkpoint when a command ends it.
 * Not safe for concurrent `run` calls: the agent runs commands in order.
 */
export class BuildShell {
  private session: ShellSession | undefined;
  private counter = 0;
  private waiting: ((signal: SessionSignal | { kind: "exit"; code: number | null }) => void) | undefined;
  private killed = false;
  /** Each command's file as the shell names it in its errors, and the command it holds. */
  private readonly commandFile: RegExp;
  /** dash's form: `sh: 2: /dev/shm/.../cmd-7.sh: npm-tset: not found` (line before file). */
  private readonly dashCommandFile: RegExp;
  private readonly commandNames = new Map<number, string>();

  private constructor(private readonly options: BuildShellOptions) {
    const tmpInside = options.executor.pathInside(options.tmpDir, options.mounts);
    const file = `${escapeRegExp(tmpInside)}/cmd-(\\d+)\\.sh`;
    this.commandFile = new RegExp(file, "g");
    this.dashCommandFile = new RegExp(`^[^\\s:]+: (\\d+): ${file}: `);
  }

  /** Writes the initial environment and starts the shell; rejects when it cannot start. */
  static async start(options: BuildShellOptions): Promise<BuildShell> {
    await writeFile(join(options.tmpDir, "env.sh"), environmentScript(options.variables));
    await writeFile(join(options.tmpDir, "cwd"), `${options.workdir}\n`);
    const shell = new BuildShell(options);
    await shell.launch();
    return shell;
  }

  /** Runs one command; resolves with its exit status (or `killed` after `kill()`). */
  async run(command: string, flags: { succeeding: boolean; lastExit: number }): Promise<CommandResult> {
    if (this.killed || !this.session) return { kind: "killed" };
    const n = ++this.counter;
    this.commandNames.set(n, commandName(command));
    // Synchronous: a small file written in tens of microseconds, where the promise API costs
    // three thread-pool round trips on every command (measured: bench/builds.mjs).
    writeFileSync(join(this.options.tmpDir, `cmd-${n}.sh`), `${command}\n`);
    const ended = this.next();
    this.session.stdin.write(`R ${n} ${flags.succeeding ? 1 : 0} ${flags.lastExit}\n`);
    const signal = await ended;
    if (this.killed) return { kind: "killed" };
    if (signal.kind === "done" && signal.n === n) return { kind: "exited", status: signal.status };
    if (signal.kind === "exit") {
      // The command ended the shell: resume from the checkpoint taken before it.
      await this.launch();
      return { kind: "exited", status: signal.code ?? 1 };
    }
    throw new Error(
      `build shell protocol error: expected the end of command ${n}, got ${JSON.stringify(signal)}`,
    );
  }

  /**
   * The values of shell words in the build's current environment, e.g. `$FUZZ_DIR/*` or
   * `name-$(date +%F)`: each is expanded as the inside of a double-quoted string (variables and
   * command substitution; no globbing, no word splitting). An expansion that fails gives "".
   */
  async expand(words: readonly string[]): Promise<string[]> {
    if (words.length === 0) return [];
    const out = join(this.options.tmpDir, `expand-${this.counter + 1}`);
    const outInside = this.options.executor.pathInside(out, this.options.mounts);
    const quoted = words.map((w) => `"${w.replace(/(["\\])/g, "\\$1")}"`).join(" ");
    const result = await this.run(`printf '%s\\0' ${quoted} > ${shellQuote(outInside)}`, {
      succeeding: true,
      lastExit: 0,
    });
    if (result.kind === "killed") return words.map(() => "");
    const text = await readFile(out, "utf8").catch(() => "");
    const values = text.split("\0").slice(0, words.length);
    return words.map((_, i) => values[i] ?? "");
  }

  /** Current values of variables (absent when unset), read without running anything visible. */
  async variables(names: readonly string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    if (names.length === 0) return result;
    const words = names.flatMap((n) => [`\${${n}+set}`, `\${${n}-}`]);
    const values = await this.expand(words);
    names.forEach((name, i) => {
      if (values[2 * i] === "set") result.set(name, values[2 * i + 1] ?? "");
    });
    return result;
  }

  /** Ends the shell and everything it started; pending `run` calls resolve as `killed`. */
  async kill(): Promise<void> {
    this.killed = true;
    const session = this.session;
    this.session = undefined;
    this.waiting?.({ kind: "exit", code: null });
    await session?.kill();
  }

  /** Ends the loop politely and waits for the shell to go (then kills what it left running). */
  async close(): Promise<void> {
    const session = this.session;
    if (!session || this.killed) return;
    this.killed = true;
    session.stdin.end("Q\n");
    await Promise.race([session.exited, new Promise((r) => setTimeout(r, 2000).unref())]);
    await session.kill();
  }

  /**
   * The shell names a sourced file in its errors (`/dev/shm/.../cmd-7.sh: line 1: npx: not
   * found`); the user wrote a command, not that file, so the line names the command instead,
   * keeping the shell's format (`npm tset: line 1: ...`, dash's `npm tset: 1: ...`), as CodeBuild's
   * `/codebuild/output/tmp/script.sh: 4: ...` keeps it.
   */
  private nameCommands(line: string): string {
    if (!line.includes("/cmd-")) return line;
    const name = (n: string) => this.commandNames.get(Number(n));
    return line
      .replace(this.dashCommandFile, (whole, lineNo: string, n: string) => {
        const command = name(n);
        return command === undefined ? whole : `${command}: ${lineNo}: `;
      })
      .replace(this.commandFile, (whole, n: string) => name(n) ?? whole);
  }

  private next(): Promise<SessionSignal | { kind: "exit"; code: number | null }> {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  private async launch(): Promise<void> {
    const o = this.options;
    const tmpInside = o.executor.pathInside(o.tmpDir, o.mounts);
    const spec: SessionSpec = {
      shell: o.shell,
      ...(/(^|\/)bash$/.test(o.shell) ? { shellOptions: ["--norc", "--noprofile"] } : {}),
      script: bootstrapScript(tmpInside),
      env: o.processEnv,
      workdir: o.workdir,
      mounts: o.mounts,
      ...(o.image === undefined ? {} : { image: o.image }),
      privileged: o.privileged,
      label: o.label,
      ...(o.pathPrefix === undefined ? {} : { pathPrefix: o.pathPrefix }),
      ...(o.hostNetwork === undefined ? {} : { hostNetwork: o.hostNetwork }),
    };
    const session = await o.executor.start(spec);
    this.session = session;
    const ready = this.next();
    const parser = new OutputParser(
      (line) => o.onOutput(this.nameCommands(line)),
      (signal) => this.deliver(session, signal),
    );
    session.output.on("data", (chunk: Buffer) => parser.push(chunk));
    session.output.on("end", () => parser.end());
    void session.exited.then(({ code }) => {
      // Output may still be in flight when the process is reaped: let it arrive first.
      const report = () => this.deliver(session, { kind: "exit", code });
      if (session.output.readableEnded) report();
      else session.output.once("end", report).once("close", report);
    });
    const first = await ready;
    if (first.kind !== "ready") {
      await session.kill();
      const why =
        first.kind === "fail"
          ? first.message
          : `the shell ${o.shell} exited with code ${"code" in first ? first.code : "?"} before running anything`;
      throw new Error(`Build container found dead before completing the build: ${why}`);
    }
  }

  private deliver(
    session: ShellSession,
    signal: SessionSignal | { kind: "exit"; code: number | null },
  ): void {
    if (session !== this.session && signal.kind === "exit") return;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(signal);
  }
}

const MAX_COMMAND_NAME = 60;

/** A command as an error line names it: its first line, shortened when long or multi-line. */
export function commandName(command: string): string {
  const lines = command.trim().split("\n");
  const first = (lines[0] ?? "").trim();
  if (first.length > MAX_COMMAND_NAME) return `${first.slice(0, MAX_COMMAND_NAME - 3)}...`;
  return lines.length > 1 ? `${first} ...` : first;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
