import { describe, expect, it } from "vitest";
import { createFakeClock } from "../../lib/clock.js";
import type { ActionContext } from "../types.js";
import { createLambdaInvokeProvider, type LambdaInvokeDeps } from "./lambda-invoke-provider.js";

const credentials = { accessKeyId: "PWJOB1", secretAccessKey: "s", sessionToken: "t" };

function context(extra: Partial<ActionContext> = {}): ActionContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    jobId: "job-1",
    idempotencyKey: "run-1/0",
    attempt: 1,
    job: { encryptionKey: undefined } as unknown as ActionContext["job"],
    accountId: "123456789012",
    region: "us-east-1",
    configuration: { FunctionName: "fn", UserParameters: "https://example.test" },
    inputArtifacts: [{ name: "Code", bucket: "artifacts", key: "p/Code/abc", revision: "r1" }],
    outputArtifacts: [{ name: "Out", bucket: "artifacts", key: "p/Out/def" }],
    artifacts: { read: async () => new Uint8Array(), write: async () => {} },
    log: { write: (line) => lines.push(line) },
    signal: new AbortController().signal,
    clock: createFakeClock(0),
    lines,
    ...extra,
  };
}

function deps(overrides: Partial<LambdaInvokeDeps> & { answered?: () => boolean } = {}) {
  const events: unknown[] = [];
  const d: LambdaInvokeDeps = {
    async invoke(_scope, _name, event) {
      events.push(JSON.parse(new TextDecoder().decode(event)));
      return {
        ok: true,
        requestId: "req-1",
        log: "START RequestId: req-1 Version: $LATEST\nhello\nEND RequestId: req-1\nREPORT RequestId: req-1\n",
        durationMs: 5,
      };
    },
    awaitingResult: async () => !(overrides.answered?.() ?? false),
    artifactCredentials: () => credentials,
    prepareOutputs: async () => {},
    graceMs: 50,
    ...overrides,
  };
  return { d, events };
}

describe("the Invoke/Lambda provider", () => {
  it("invokes the function with the CodePipeline.job event of spec 8.4", async () => {
    const { d, events } = deps({ answered: () => true });
    const ctx = context();
    expect(await createLambdaInvokeProvider(d).start(ctx)).toEqual({ kind: "awaitingCallback" });
    expect(events[0]).toEqual({
      "CodePipeline.job": {
        id: "job-1",
        accountId: "123456789012",
        data: {
          actionConfiguration: {
            configuration: { FunctionName: "fn", UserParameters: "https://example.test" },
          },
          inputArtifacts: [
            {
              name: "Code",
              revision: "r1",
              location: { type: "S3", s3Location: { bucketName: "artifacts", objectKey: "p/Code/abc" } },
            },
          ],
          outputArtifacts: [
            {
              name: "Out",
              revision: null,
              location: { type: "S3", s3Location: { bucketName: "artifacts", objectKey: "p/Out/def" } },
            },
          ],
          artifactCredentials: credentials,
        },
      },
    });
    expect(ctx.lines).toContain("hello");
  });

  it("passes the continuation token when it invokes again", async () => {
    const { d, events } = deps({ answered: () => true });
    await createLambdaInvokeProvider(d).poll!(context({ continuationToken: "step-2" }));
    expect(
      (events[0] as { "CodePipeline.job": { data: { continuationToken: string } } })["CodePipeline.job"].data
        .continuationToken,
    ).toBe("step-2");
  });

  it("takes a result that arrives just after the function ended", async () => {
    let checks = 0;
    const { d } = deps({ awaitingResult: async () => ++checks < 2 });
    expect(await createLambdaInvokeProvider(d).start(context())).toEqual({ kind: "awaitingCallback" });
  });

  it("fails the action, naming the fix and the function's error, when no result came", async () => {
    const { d } = deps({
      invoke: async () => ({
        ok: true,
        requestId: "req-9",
        functionError: "Unhandled",
        error: { errorType: "TypeError", errorMessage: "x is undefined" },
        log: "START RequestId: req-9 Version: $LATEST\nsaid something\nEND RequestId: req-9\n",
        durationMs: 3,
      }),
    });
    const outcome = await createLambdaInvokeProvider(d).start(context());
    expect(outcome).toEqual({
      kind: "failed",
      summary: "Function log (last lines): said something",
      failure: {
        type: "JobFailed",
        externalExecutionId: "req-9",
        message:
          'The AWS Lambda function fn returned without calling PutJobSuccessResult or PutJobFailureResult for job job-1 (it failed with TypeError: x is undefined). Call codepipeline.putJobSuccessResult({jobId}) or putJobFailureResult({jobId, failureDetails}) with the id from event["CodePipeline.job"].id before the handler ends.',
      },
    });
  });

  it("fails with a configuration error when the function cannot be invoked", async () => {
    const { d } = deps({
      invoke: async () => ({ ok: false, message: "Error calling Invoke on fn: Function not found" }),
    });
    expect(await createLambdaInvokeProvider(d).start(context())).toEqual({
      kind: "failed",
      failure: { type: "ConfigurationError", message: "Error calling Invoke on fn: Function not found" },
    });
  });
});
