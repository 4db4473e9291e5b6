import { appendFile, link, mkdir, open, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ActionOutcome } from "../../engine/outcome.js";
import type { ActionTypeSpec } from "../../model/action-types/action-type.js";
import type { ActionCategory } from "../../model/declaration.js";
import type { FailureType } from "../../model/failure.js";
import type { ActionContext, ActionProvider } from "../types.js";

/** The fake's provider name; its types exist only where main/ or a test registers it. */
export const TEST_FAKE_PROVIDER = "PipewrightTest";

const CATEGORIES: ActionCategory[] = ["Source", "Build", "Test", "Deploy", "Invoke"];
const PROPERTIES = [
  "Outcome",
  "FailureType",
  "Message",
  "Summary",
  "OutputVariables",
  "Polls",
  "FailTimes",
  "SleepMs",
  "Revision",
  "Echo",
];

export interface TestFakeOptions {
  /**
   * Where completed work is recorded, one file per idempotency key (created exclusively), plus a
   * `completions.log` line per completion. The crash test reads them: a key completed twice
   * would be a broken exactly-once promise.
   */
  readonly markerDir?: string;
}

/**
 * A scriptable provider for scenario tests, the crash test and benchmarks (STYLE §2.9). Its
 * action configuration says what to do:
 *  - `Outcome`: `Succeed` (default), `Fail`, `Hold` (wait until the test releases it), `Throw`
 *    (the provider itself breaks);
 *  - `FailureType`, `Message`, `Summary`: what a failure or success reports;
 *  - `OutputVariables`: a JSON object of output variables;
 *  - `Polls`: answer inProgress this many times first (a continuation each time);
 *  - `FailTimes`: fail the first N runs of this action in an execution, then follow `Outcome`;
 *  - `SleepMs`: take this long (real time; aborts when the action is abandoned);
 *  - `Revision`: report this source revision;
 *  - `Echo`: written into every output artifact.
 * Output artifacts always get a small body, so downstream inputs exist.
 */
export function createTestFakeProvider(options: TestFakeOptions = {}) {
  const held = new Map<string, string>();
  const releases = new Map<string, ActionOutcome>();
  const runsSeen = new Map<string, number>();

  async function finish(ctx: ActionContext, outcome: ActionOutcome): Promise<ActionOutcome> {
    if (outcome.kind === "succeeded" || outcome.kind === "failed") {
      for (const out of ctx.outputArtifacts) {
        await ctx.artifacts.write(
          out,
          new TextEncoder().encode(
            JSON.stringify({
              artifact: out.name,
              echo: ctx.configuration.Echo ?? "",
              inputs: ctx.inputArtifacts.map((i) => i.name),
            }),
          ),
        );
      }
      if (options.markerDir) await recordCompletion(options.markerDir, ctx, outcome);
    }
    return outcome;
  }

  async function outcomeFor(ctx: ActionContext): Promise<ActionOutcome> {
    const c = ctx.configuration;
    const key = `${ctx.job.executionId}/${ctx.job.stageName}/${ctx.job.actionName}`;
    const sleep = Number(c.SleepMs ?? 0);
    if (sleep > 0) await delay(sleep, ctx.signal);
    if (c.Outcome === "Throw") throw new Error("test-fake was told to throw");
    const polls = Number(c.Polls ?? 0);
    const step = ctx.job.step;
    if (step < polls) {
      return {
        kind: "inProgress",
        continuationToken: `poll-${step + 1}`,
        pollAfterMs: 0,
        percentComplete: Math.round((100 * step) / (polls + 1)),
      };
    }
    const failTimes = Number(c.FailTimes ?? 0);
    if (failTimes > 0 && step === polls) {
      const seen = (runsSeen.get(key) ?? 0) + 1;
      runsSeen.set(key, seen);
      if (seen <= failTimes) return failed(c, `failing run ${seen} of ${failTimes} on purpose`);
    }
    if (c.Outcome === "Fail") return failed(c, c.Message ?? "test-fake was told to fail");
    if (c.Outcome === "Hold") {
      const released = releases.get(key);
      if (released) {
        releases.delete(key);
        held.delete(key);
        return released;
      }
      held.set(key, ctx.jobId);
      return { kind: "awaitingCallback", summary: "held until the test releases it" };
    }
    return {
      kind: "succeeded",
      ...(c.OutputVariables
        ? { outputVariables: JSON.parse(c.OutputVariables) as Record<string, string> }
        : {}),
      ...(c.Summary ? { summary: c.Summary } : {}),
      ...(c.Revision
        ? { currentRevision: { revision: c.Revision, revisionSummary: `revision ${c.Revision}` } }
        : {}),
    };
  }

  /** Work done before a crash is not done again: its recorded outcome is the answer. */
  async function run(ctx: ActionContext): Promise<ActionOutcome> {
    const previous = options.markerDir
      ? await recordedOutcome(options.markerDir, ctx.idempotencyKey)
      : undefined;
    return previous ?? finish(ctx, await outcomeFor(ctx));
  }

  const provider: ActionProvider = {
    actionTypeIds: CATEGORIES.map((category) => ({
      category,
      owner: "AWS",
      provider: TEST_FAKE_PROVIDER,
      version: "1",
    })),
    specs: CATEGORIES.map(
      (category): ActionTypeSpec => ({
        id: { category, owner: "AWS", provider: TEST_FAKE_PROVIDER, version: "1" },
        actionConfigurationProperties: PROPERTIES.map((name) => ({
          name,
          required: false,
          key: false,
          secret: false,
        })),
        inputArtifactDetails: { minimumCount: 0, maximumCount: category === "Source" ? 0 : 5 },
        outputArtifactDetails: { minimumCount: 0, maximumCount: 5 },
        executable: true,
      }),
    ),
    start: run,
    poll: run,
  };

  return {
    provider,
    /** The job id of a held action (`Outcome: Hold`), by execution, stage and action. */
    heldJob(executionId: string, stageName: string, actionName: string): string | undefined {
      return held.get(`${executionId}/${stageName}/${actionName}`);
    },
    forget(executionId: string, stageName: string, actionName: string): void {
      held.delete(`${executionId}/${stageName}/${actionName}`);
    },
  };
}

function failed(c: Readonly<Record<string, string>>, message: string): ActionOutcome {
  return { kind: "failed", failure: { type: (c.FailureType ?? "JobFailed") as FailureType, message } };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done, fail) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        fail(new Error("aborted"));
      },
      { once: true },
    );
  });
}

async function recordCompletion(dir: string, ctx: ActionContext, outcome: ActionOutcome): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, encodeURIComponent(ctx.idempotencyKey));
  // The marker is the work's commit point, and it appears whole or not at all: the outcome is
  // written and synced under a temporary name, then hard-linked to the marker's name, which
  // fails if the marker exists. (Creating the marker itself with O_EXCL and writing it after
  // left an empty marker when a SIGKILL fell between the two; the next process could not read
  // an outcome from it, did the work again and logged a false DUPLICATE.) A second completion
  // of one key fails the link and still logs a line, which is what the crash test looks for.
  const temporary = join(dir, `.${encodeURIComponent(ctx.idempotencyKey)}.${process.pid}.${ctx.jobId}`);
  await writeFile(temporary, JSON.stringify(outcome));
  const handle = await open(temporary, "r");
  await handle.sync();
  await handle.close();
  const linked = await link(temporary, file).then(
    () => true,
    () => false,
  );
  await unlink(temporary);
  await appendFile(
    join(dir, "completions.log"),
    `${ctx.idempotencyKey} ${ctx.jobId} ${process.pid}${linked ? "" : " DUPLICATE"}\n`,
  );
}

async function recordedOutcome(dir: string, key: string): Promise<ActionOutcome | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, encodeURIComponent(key)), "utf8")) as ActionOutcome;
  } catch {
    return undefined;
  }
}
