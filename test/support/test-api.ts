import { randomUUID } from "node:crypto";
import { type Authenticator, createApp } from "../../src/api/app.js";
import { createCodePipelineService } from "../../src/api/codepipeline/service.js";
import { createFakeClock } from "../../src/lib/clock.js";
import { silentLogger } from "../../src/lib/logger.js";
import { createCustomActionTypes } from "../../src/runtime/definitions/custom-action-types.js";
import { createPipelineDefinitions } from "../../src/runtime/definitions/pipeline-definitions.js";
import { createMemoryStores } from "../../src/store/memory/create-memory-stores.js";

/** Accepts everything and takes the region from a test header, so in-process tests need no signing. */
const testAuthenticator: Authenticator = {
  authenticate: (request) => {
    const region = request.headers.get("x-test-region");
    return { ok: true, principal: "test", ...(region ? { region } : {}) };
  },
};

export interface CallResult {
  status: number;
  body: Record<string, any>;
  headers: Headers;
}

/**
 * The whole API in process: memory stores, a fake clock, no port. `call` sends one JSON 1.1
 * request exactly as a client would, through the same app the server runs.
 */
export function createTestApi(options: { maxBodyBytes?: number } = {}) {
  const clock = createFakeClock(Date.UTC(2026, 10, 22, 12, 0, 0));
  const stores = createMemoryStores();
  const actionTypes = createCustomActionTypes(stores);
  const definitions = createPipelineDefinitions({ stores, catalogFor: (s) => actionTypes.catalogFor(s) });
  const app = createApp({
    jsonServices: [createCodePipelineService({ definitions, actionTypes })],
    authenticator: testAuthenticator,
    defaultScope: { accountId: "123456789012", region: "us-east-1" },
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    logger: silentLogger,
    now: clock.now,
    newRequestId: randomUUID,
    version: "test",
  });

  async function call(operation: string, input: unknown, region?: string): Promise<CallResult> {
    const headers: Record<string, string> = {
      "x-amz-target": `CodePipeline_20150709.${operation}`,
      "content-type": "application/x-amz-json-1.1",
    };
    if (region) headers["x-test-region"] = region;
    const response = await app(
      new Request("http://pipewright.test/", { method: "POST", headers, body: JSON.stringify(input) }),
    );
    return {
      status: response.status,
      body: (await response.json()) as Record<string, any>,
      headers: response.headers,
    };
  }

  return { app, call, clock, stores };
}
