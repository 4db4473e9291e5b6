import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { replay } from "../../src/engine/apply-event.js";
import type { ExecutionState } from "../../src/engine/execution-state.js";
import { type CallResult, createTestWorld, type TestWorld } from "../support/test-world.js";

/**
 * Runs one scenario directory: `pipeline.json` (a declaration, created with CreatePipeline) and
 * `expect.json` ({description, options?, steps, expect}). Steps drive the in-process server
 * through its API (and release held test-fake actions); `expect` blocks, in steps or at the end,
 * compare executions and GetPipelineState with what the scenario says. Executions are named by
 * aliases: `as` on a start or rollback step, `created` for CreatePipeline's own execution, and
 * `x1`, `x2`, ... for executions the engine started by itself (automatic rollbacks), by age.
 */

type Step = Record<string, unknown> & { do: string };

export interface ScenarioFile {
  description: string;
  options?: { startOnCreate?: boolean; timeouts?: Record<string, number> };
  steps: Step[];
  expect: Expectation;
}

interface Expectation {
  executionCount?: number;
  executions?: Record<string, ExecutionExpectation>;
  state?: Record<string, StageExpectation>;
  order?: Record<string, string[]>;
}

interface ExecutionExpectation {
  status?: string;
  statusSummary?: string;
  type?: string;
  trigger?: string;
  pipelineVersion?: number;
  rollbackTarget?: string;
  stages?: Record<string, string>;
  actions?: Record<string, string>;
  runs?: Record<string, string[]>;
  errors?: Record<string, string>;
  errorCodes?: Record<string, string>;
  /** Input artifact name -> the producing run (`Stage/Action`, or `alias:Stage/Action` in another execution). */
  inputsFrom?: Record<string, Record<string, string>>;
  resolved?: Record<string, Record<string, string>>;
  variables?: Record<string, string>;
  outputVariables?: Record<string, Record<string, string>>;
  revisions?: Record<string, string>;
}

interface StageExpectation {
  latest?: string | null;
  status?: string;
  inbound?: string | null;
  inboundAll?: string[];
  transition?: boolean;
  actions?: Record<string, string>;
  retry?: { auto?: number; manual?: number };
  condition?: Record<string, string>;
}

export async function runScenario(dir: string): Promise<void> {
  const pipeline = JSON.parse(readFileSync(join(dir, "pipeline.json"), "utf8")) as { name: string };
  const scenario = JSON.parse(readFileSync(join(dir, "expect.json"), "utf8")) as ScenarioFile;
  const world = createTestWorld({
    startOnCreate: scenario.options?.startOnCreate ?? false,
    runtime: { timeouts: scenario.options?.timeouts ?? {} },
  });
  const aliases = new Map<string, string>();
  const run = new ScenarioRun(world, pipeline.name, aliases, dir);
  await run.ok("CreatePipeline", { pipeline });
  await run.discover("created");
  for (const [i, step] of scenario.steps.entries()) {
    try {
      await run.step(step);
    } catch (error) {
      (error as Error).message = `step ${i + 1} (${JSON.stringify(step)}): ${(error as Error).message}`;
      throw error;
    }
  }
  await world.settle();
  await run.check(scenario.expect);
  await run.checkReplay();
}

class ScenarioRun {
  private autoCount = 0;
  constructor(
    private readonly world: TestWorld,
    private readonly pipeline: string,
    private readonly aliases: Map<string, string>,
    private readonly dir: string,
  ) {}

  async ok(operation: string, input: unknown): Promise<CallResult> {
    const result = await this.world.call(operation, input);
    if (result.status !== 200) {
      throw new Error(`${operation} answered ${result.status} ${result.body.__type}: ${result.body.message}`);
    }
    return result;
  }

  id(alias: unknown): string {
    const id = this.aliases.get(String(alias));
    if (!id) throw new Error(`no execution is called '${String(alias)}'`);
    return id;
  }

  alias(id: string): string {
    for (const [a, i] of this.aliases) if (i === id) return a;
    return id;
  }

  /** Names executions nobody named yet: `first` for the first one found, then x1, x2, ... */
  async discover(first?: string): Promise<void> {
    const listed = await this.ok("ListPipelineExecutions", { pipelineName: this.pipeline });
    const ids = (listed.body.pipelineExecutionSummaries as { pipelineExecutionId: string }[])
      .map((s) => s.pipelineExecutionId)
      .reverse();
    const known = new Set(this.aliases.values());
    for (const id of ids) {
      if (known.has(id)) continue;
      this.aliases.set(first && !this.aliases.has(first) ? first : `x${++this.autoCount}`, id);
    }
  }

  async step(step: Step): Promise<void> {
    const call = async (operation: string, input: unknown) => {
      const result = await this.world.call(operation, input);
      if (step.expectError) {
        expect({ status: result.status, type: result.body.__type }).toEqual({
          status: 400,
          type: step.expectError,
        });
        if (step.messageContains) expect(result.body.message).toContain(step.messageContains);
        return undefined;
      }
      if (result.status !== 200) {
        throw new Error(
          `${operation} answered ${result.status} ${result.body.__type}: ${result.body.message}`,
        );
      }
      return result;
    };
    const p = this.pipeline;
    switch (step.do) {
      case "start": {
        const result = await call("StartPipelineExecution", {
          name: p,
          ...(step.variables ? { variables: step.variables } : {}),
          ...(step.clientRequestToken ? { clientRequestToken: step.clientRequestToken } : {}),
          ...(step.sourceRevisions ? { sourceRevisions: step.sourceRevisions } : {}),
        });
        if (result && step.as) {
          const existing = this.aliases.get(String(step.as));
          if (existing && existing !== result.body.pipelineExecutionId)
            throw new Error(`alias ${step.as} is taken`);
          this.aliases.set(String(step.as), result.body.pipelineExecutionId);
        }
        break;
      }
      case "settle":
        await this.world.settle();
        break;
      case "advanceClock":
        this.world.clock.advance(Number(step.ms));
        break;
      case "release": {
        const jobId = this.world.fake.heldJob(
          this.id(step.execution),
          String(step.stage),
          String(step.action),
        );
        if (!jobId) throw new Error(`no held job for ${step.execution} ${step.stage}/${step.action}`);
        this.world.fake.forget(this.id(step.execution), String(step.stage), String(step.action));
        const outcome =
          step.outcome === "Failed"
            ? {
                kind: "failed" as const,
                failure: {
                  type: "JobFailed" as const,
                  message: String(step.message ?? "released as failed"),
                },
              }
            : {
                kind: "succeeded" as const,
                ...(step.outputVariables
                  ? { outputVariables: step.outputVariables as Record<string, string> }
                  : {}),
              };
        const result = await this.world.runtime.jobResults.completeJob(jobId, outcome);
        if (!result.ok) throw new Error(`release failed: ${result.error.message}`);
        break;
      }
      case "stop":
        await call("StopPipelineExecution", {
          pipelineName: p,
          pipelineExecutionId: this.id(step.execution),
          ...(step.abandon === undefined ? {} : { abandon: step.abandon }),
          ...(step.reason ? { reason: step.reason } : {}),
        });
        break;
      case "retry":
        await call("RetryStageExecution", {
          pipelineName: p,
          stageName: step.stage,
          pipelineExecutionId: this.id(step.execution),
          retryMode: step.mode ?? "FAILED_ACTIONS",
        });
        break;
      case "rollback": {
        const result = await call("RollbackStage", {
          pipelineName: p,
          stageName: step.stage,
          targetPipelineExecutionId: this.id(step.target),
        });
        if (result && step.as) this.aliases.set(String(step.as), result.body.pipelineExecutionId);
        break;
      }
      case "approve": {
        const token = step.token ?? (await this.approvalToken(String(step.stage), String(step.action)));
        await call("PutApprovalResult", {
          pipelineName: p,
          stageName: step.stage,
          actionName: step.action,
          token,
          result: { status: step.status ?? "Approved", summary: step.summary ?? "" },
        });
        break;
      }
      case "disableTransition":
        await call("DisableStageTransition", {
          pipelineName: p,
          stageName: step.stage,
          transitionType: step.transitionType ?? "Inbound",
          reason: step.reason ?? "held by the scenario",
        });
        break;
      case "enableTransition":
        await call("EnableStageTransition", {
          pipelineName: p,
          stageName: step.stage,
          transitionType: step.transitionType ?? "Inbound",
        });
        break;
      case "update": {
        const next = JSON.parse(readFileSync(join(this.dir, String(step.file)), "utf8"));
        await call("UpdatePipeline", { pipeline: next });
        break;
      }
      case "call":
        await call(String(step.operation), JSON.parse(this.subst(JSON.stringify(step.input ?? {}))));
        break;
      case "expect":
        await this.world.settle();
        await this.check(step as unknown as Expectation);
        break;
      default:
        throw new Error(`unknown step '${step.do}'`);
    }
    await this.discover();
  }

  async approvalToken(stage: string, action: string): Promise<string> {
    const state = await this.ok("GetPipelineState", { name: this.pipeline });
    const actionState = (
      state.body.stageStates as {
        stageName: string;
        actionStates: { actionName: string; latestExecution?: { token?: string } }[];
      }[]
    )
      .find((s) => s.stageName === stage)
      ?.actionStates.find((a) => a.actionName === action);
    const token = actionState?.latestExecution?.token;
    if (!token) throw new Error(`GetPipelineState shows no approval token for ${stage}/${action}`);
    return token;
  }

  async state(alias: string): Promise<ExecutionState> {
    const record = await this.world.stores.runs.getExecution(this.id(alias));
    if (!record) throw new Error(`execution ${alias} is not stored`);
    return record.state;
  }

  /** `{{alias}}` in an expected string stands for that execution's id. */
  subst(text: string): string {
    return text.replace(/\{\{(\w+)\}\}/gu, (_, alias: string) => this.id(alias));
  }

  async check(expected: Expectation): Promise<void> {
    await this.discover();
    if (expected.executionCount !== undefined)
      expect(this.aliases.size, "execution count").toBe(expected.executionCount);
    for (const [alias, e] of Object.entries(expected.executions ?? {})) await this.checkExecution(alias, e);
    if (expected.state) await this.checkState(expected.state);
    for (const [alias, order] of Object.entries(expected.order ?? {})) {
      const state = await this.state(alias);
      expect(
        state.actionRuns.map((r) => `${r.stageName}/${r.actionName}`),
        `start order of ${alias}`,
      ).toEqual(order);
    }
  }

  async checkExecution(alias: string, e: ExecutionExpectation): Promise<void> {
    const got = await this.ok("GetPipelineExecution", {
      pipelineName: this.pipeline,
      pipelineExecutionId: this.id(alias),
    });
    const pe = got.body.pipelineExecution;
    const state = await this.state(alias);
    const what = (k: string) => `${alias}.${k}`;
    if (e.status) expect(pe.status, what("status")).toBe(e.status);
    if (e.statusSummary)
      expect(pe.statusSummary ?? "", what("statusSummary")).toContain(this.subst(e.statusSummary));
    if (e.type) expect(pe.executionType, what("type")).toBe(e.type);
    if (e.trigger) expect(pe.trigger.triggerType, what("trigger")).toBe(e.trigger);
    if (e.pipelineVersion) expect(pe.pipelineVersion, what("pipelineVersion")).toBe(e.pipelineVersion);
    if (e.rollbackTarget) {
      expect(pe.rollbackMetadata?.rollbackTargetPipelineExecutionId, what("rollbackTarget")).toBe(
        this.id(e.rollbackTarget),
      );
    }
    if (e.variables) {
      const vars = Object.fromEntries(
        (pe.variables as { name: string; resolvedValue: string }[]).map((v) => [v.name, v.resolvedValue]),
      );
      expect(vars, what("variables")).toEqual(e.variables);
    }
    if (e.revisions) {
      const revs = Object.fromEntries(
        (pe.artifactRevisions as { name: string; revisionId: string }[]).map((r) => [r.name, r.revisionId]),
      );
      expect(revs, what("revisions")).toEqual(e.revisions);
    }
    for (const [stage, status] of Object.entries(e.stages ?? {})) {
      expect(state.stages[stage]?.status ?? "NotEntered", what(`stages.${stage}`)).toBe(status);
    }
    const listed = await this.ok("ListActionExecutions", {
      pipelineName: this.pipeline,
      filter: { pipelineExecutionId: this.id(alias) },
    });
    const details = [...(listed.body.actionExecutionDetails as ActionDetail[])].reverse();
    const runsOf = (key: string) => details.filter((d) => `${d.stageName}/${d.actionName}` === key);
    for (const [key, status] of Object.entries(e.actions ?? {})) {
      expect(runsOf(key).at(-1)?.status ?? "NotRun", what(`actions.${key}`)).toBe(status);
    }
    for (const [key, statuses] of Object.entries(e.runs ?? {})) {
      expect(
        runsOf(key).map((d) => d.status),
        what(`runs.${key}`),
      ).toEqual(statuses);
    }
    for (const [key, message] of Object.entries(e.errors ?? {})) {
      expect(
        runsOf(key).at(-1)?.output.executionResult.errorDetails?.message ?? "",
        what(`errors.${key}`),
      ).toContain(message);
    }
    for (const [key, code] of Object.entries(e.errorCodes ?? {})) {
      expect(runsOf(key).at(-1)?.output.executionResult.errorDetails?.code, what(`errorCodes.${key}`)).toBe(
        code,
      );
    }
    for (const [key, config] of Object.entries(e.resolved ?? {})) {
      const wanted = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, this.subst(v)]));
      expect(runsOf(key).at(-1)?.input.resolvedConfiguration, what(`resolved.${key}`)).toMatchObject(wanted);
    }
    for (const [key, inputs] of Object.entries(e.inputsFrom ?? {})) {
      for (const [artifact, producer] of Object.entries(inputs)) {
        const [other, where] = producer.includes(":") ? producer.split(":") : [alias, producer];
        const source = await this.ok("ListActionExecutions", {
          pipelineName: this.pipeline,
          filter: { pipelineExecutionId: this.id(other) },
        });
        const made = (source.body.actionExecutionDetails as ActionDetail[]).find(
          (d) => `${d.stageName}/${d.actionName}` === where,
        );
        const produced = made?.output.outputArtifacts.find((a) => a.name === artifact)?.s3location;
        const consumed = runsOf(key)
          .at(-1)
          ?.input.inputArtifacts.find((a) => a.name === artifact)?.s3location;
        expect(produced, what(`inputsFrom.${key}.${artifact} (producer)`)).toBeDefined();
        expect(consumed, what(`inputsFrom.${key}.${artifact}`)).toEqual(produced);
        const stored = await this.world.stores.objects.headObject(produced!.bucket, produced!.key);
        expect(stored?.size ?? 0, what(`inputsFrom.${key}.${artifact} is stored`)).toBeGreaterThan(0);
      }
    }
    for (const [key, vars] of Object.entries(e.outputVariables ?? {})) {
      expect(runsOf(key).at(-1)?.output.outputVariables, what(`outputVariables.${key}`)).toEqual(vars);
    }
  }

  async checkState(expected: Record<string, StageExpectation>): Promise<void> {
    const got = await this.ok("GetPipelineState", { name: this.pipeline });
    const stages = got.body.stageStates as StageStateJson[];
    for (const [name, e] of Object.entries(expected)) {
      const s = stages.find((x) => x.stageName === name);
      if (!s) throw new Error(`GetPipelineState has no stage ${name}`);
      const what = (k: string) => `state.${name}.${k}`;
      if (e.latest !== undefined) {
        expect(
          s.latestExecution ? this.alias(s.latestExecution.pipelineExecutionId) : null,
          what("latest"),
        ).toBe(e.latest);
      }
      if (e.status) expect(s.latestExecution?.status, what("status")).toBe(e.status);
      if (e.inbound !== undefined) {
        expect(
          s.inboundExecution ? this.alias(s.inboundExecution.pipelineExecutionId) : null,
          what("inbound"),
        ).toBe(e.inbound);
      }
      if (e.inboundAll) {
        expect(
          (s.inboundExecutions ?? []).map((x) => this.alias(x.pipelineExecutionId)),
          what("inboundAll"),
        ).toEqual(e.inboundAll);
      }
      if (e.transition !== undefined)
        expect(s.inboundTransitionState?.enabled, what("transition")).toBe(e.transition);
      for (const [action, status] of Object.entries(e.actions ?? {})) {
        const a = s.actionStates.find((x) => x.actionName === action);
        expect(a?.latestExecution?.status ?? "NotRun", what(`actions.${action}`)).toBe(status);
      }
      if (e.retry) {
        expect(
          {
            auto: s.retryStageMetadata?.autoStageRetryAttempt ?? 0,
            manual: s.retryStageMetadata?.manualStageRetryAttempt ?? 0,
          },
          what("retry"),
        ).toMatchObject(e.retry);
      }
      for (const [kind, status] of Object.entries(e.condition ?? {})) {
        const key = `${kind}ConditionState` as
          | "beforeEntryConditionState"
          | "onSuccessConditionState"
          | "onFailureConditionState";
        expect(s[key]?.latestExecution?.status, what(`condition.${kind}`)).toBe(status);
      }
    }
  }

  /** Every stored history folds to its stored snapshot (the event-sourcing invariant). */
  async checkReplay(): Promise<void> {
    for (const id of this.aliases.values()) {
      const record = await this.world.stores.runs.getExecution(id);
      const events = await this.world.stores.runs.events(id);
      expect(events.length, `events of ${this.alias(id)}`).toBe(record?.version);
      expect(replay(events), `replay of ${this.alias(id)}`).toEqual(record?.state);
    }
  }
}

interface S3Location {
  name: string;
  s3location: { bucket: string; key: string };
}

interface ActionDetail {
  stageName: string;
  actionName: string;
  status: string;
  input: { resolvedConfiguration: Record<string, string>; inputArtifacts: S3Location[] };
  output: {
    outputVariables: Record<string, string>;
    outputArtifacts: S3Location[];
    executionResult: { errorDetails?: { code: string; message: string } };
  };
}

interface StageStateJson {
  stageName: string;
  latestExecution?: { pipelineExecutionId: string; status: string };
  inboundExecution?: { pipelineExecutionId: string };
  inboundExecutions?: { pipelineExecutionId: string }[];
  inboundTransitionState?: { enabled: boolean };
  actionStates: { actionName: string; latestExecution?: { status: string } }[];
  retryStageMetadata?: { autoStageRetryAttempt?: number; manualStageRetryAttempt?: number };
  beforeEntryConditionState?: { latestExecution?: { status?: string } };
  onSuccessConditionState?: { latestExecution?: { status?: string } };
  onFailureConditionState?: { latestExecution?: { status?: string } };
}
