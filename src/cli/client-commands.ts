import { parseArgs } from "node:util";
import {
  type ClientEnvironment,
  clientOptions,
  createClientContext,
  runClientCommand,
} from "./client-context.js";
import { type ExitCode, UsageError } from "./exit-codes.js";
import type { CommandIo } from "./output.js";

function parse<
  O extends Record<string, { type: "string" | "boolean"; short?: string; default?: string | boolean }>,
>(args: readonly string[], options: O) {
  return parseArgs({ args: [...args], allowPositionals: true, options: { ...clientOptions, ...options } });
}

function exactly(positionals: readonly string[], n: number, usage: string): string[] {
  if (positionals.length !== n)
    throw new UsageError(
      `expected ${usage}, got ${positionals.length === 0 ? "nothing" : positionals.join(" ")}`,
    );
  return [...positionals];
}

/**
 * Runs one client command (see help.ts for each one's usage). Usage errors throw UsageError
 * (or parseArgs' ERR_PARSE_ARGS_*); every other failure is printed and becomes the exit code.
 */
export async function runClientCli(
  command: string,
  args: readonly string[],
  io: CommandIo,
  env: ClientEnvironment,
): Promise<ExitCode> {
  switch (command) {
    case "pipelines": {
      const { values, positionals } = parse(args, { regions: { type: "string" } });
      exactly(positionals, 0, "no arguments (pipewright pipelines [--regions R1,R2])");
      const regions = values.regions
        ?.split(",")
        .map((r) => r.trim())
        .filter(Boolean);
      if (regions?.some((r) => !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r))) {
        throw new UsageError(
          `--regions takes region names such as us-east-1,eu-west-1; got '${values.regions}'`,
        );
      }
      const ctx = createClientContext(values, io, env);
      const { pipelinesCommand } = await import("./commands/pipelines.js");
      return runClientCommand(command, ctx, () => pipelinesCommand(ctx, regions));
    }
    case "status": {
      const { values, positionals } = parse(args, {
        watch: { type: "boolean", short: "w", default: false },
        interval: { type: "string", default: "2" },
      });
      const [pipeline] = exactly(positionals, 1, "PIPELINE");
      const interval = Number(values.interval);
      if (!Number.isFinite(interval) || interval < 0.1) {
        throw new UsageError(`--interval takes seconds (at least 0.1), got '${values.interval}'`);
      }
      const ctx = createClientContext(values, io, env);
      const { statusCommand } = await import("./commands/status.js");
      return runClientCommand(command, ctx, () =>
        statusCommand(ctx, { pipeline: pipeline!, watch: values.watch, intervalMs: interval * 1000 }),
      );
    }
    case "logs": {
      const { values, positionals } = parse(args, {
        follow: { type: "boolean", short: "f", default: false },
        "execution-id": { type: "string" },
      });
      const ctx = createClientContext(values, io, env);
      const { logsCommand } = await import("./commands/logs.js");
      if (positionals.length === 0 || positionals.length > 3) {
        throw new UsageError("logs takes BUILD_ID, or PIPELINE [STAGE [ACTION]]");
      }
      return runClientCommand(command, ctx, () =>
        logsCommand(ctx, {
          target: positionals,
          follow: values.follow,
          ...(values["execution-id"] ? { executionId: values["execution-id"] } : {}),
        }),
      );
    }
    case "start": {
      const { values, positionals } = parse(args, {});
      const [pipeline] = exactly(positionals, 1, "PIPELINE");
      const ctx = createClientContext(values, io, env);
      const { startCommand } = await import("./commands/control.js");
      return runClientCommand(command, ctx, () => startCommand(ctx, pipeline!));
    }
    case "approve": {
      const { values, positionals } = parse(args, {
        reject: { type: "boolean", default: false },
        summary: { type: "string" },
      });
      const [pipeline, stage, action] = exactly(positionals, 3, "PIPELINE STAGE ACTION");
      const ctx = createClientContext(values, io, env);
      const { approveCommand } = await import("./commands/control.js");
      return runClientCommand(command, ctx, () =>
        approveCommand(ctx, {
          pipeline: pipeline!,
          stage: stage!,
          action: action!,
          reject: values.reject,
          ...(values.summary === undefined ? {} : { summary: values.summary }),
        }),
      );
    }
    case "retry": {
      const { values, positionals } = parse(args, {
        "all-actions": { type: "boolean", default: false },
        "execution-id": { type: "string" },
      });
      const [pipeline, stage] = exactly(positionals, 2, "PIPELINE STAGE");
      const ctx = createClientContext(values, io, env);
      const { retryCommand } = await import("./commands/control.js");
      return runClientCommand(command, ctx, () =>
        retryCommand(ctx, {
          pipeline: pipeline!,
          stage: stage!,
          allActions: values["all-actions"],
          ...(values["execution-id"] ? { executionId: values["execution-id"] } : {}),
        }),
      );
    }
    case "stop": {
      const { values, positionals } = parse(args, {
        abandon: { type: "boolean", default: false },
        reason: { type: "string" },
      });
      const [pipeline, executionId] = exactly(positionals, 2, "PIPELINE EXECUTION_ID");
      const ctx = createClientContext(values, io, env);
      const { stopCommand } = await import("./commands/control.js");
      return runClientCommand(command, ctx, () =>
        stopCommand(ctx, {
          pipeline: pipeline!,
          executionId: executionId!,
          abandon: values.abandon,
          ...(values.reason === undefined ? {} : { reason: values.reason }),
        }),
      );
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}
