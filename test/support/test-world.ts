import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Authenticator } from "../../src/api/app.js";
import { createFakeClock, type FakeClock } from "../../src/lib/clock.js";
import { silentLogger } from "../../src/lib/logger.js";
import { type Assembled, assemble } from "../../src/main/assemble.js";
import { createManualApprovalProvider } from "../../src/providers/manual-approval/manual-approval-provider.js";
import { createTestFakeProvider } from "../../src/providers/test-fake/test-fake-provider.js";
import { defaultRuntimeOptions, type RuntimeOptions } from "../../src/runtime/create-runtime.js";
import { newSecretsKey } from "../../src/runtime/secrets/cipher.js";
import { createMemoryStores } from "../../src/store/memory/create-memory-stores.js";
import type { Stores } from "../../src/store/types.js";

/** Accepts everything and takes the region from a test header, so in-process tests need no signing. */
const testAuthenticator: Authenticator = {
  authenticate: (request) => {
    const region = request.headers.get("x-test-region");
    const principal = request.headers.get("x-test-principal") ?? "test";
    return { ok: true, principal, ...(region ? { region } : {}) };
  },
};

export interface CallResult {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response members.
  body: Record<string, any>;
  headers: Headers;
}

export interface TestWorldOptions {
  /** Stores to use (default: fresh memory stores); a SQLite file lets a test restart the world. */
  readonly stores?: Stores;
  /** The clock (default: a fake clock at 2026-11-22 12:00 UTC); share one across restarts. */
  readonly clock?: FakeClock;
  /** Where ids start counting (a restarted world must not reuse the ids of the one before). */
  readonly firstId?: number;
  readonly maxBodyBytes?: number;
  readonly startOnCreate?: boolean;
  readonly runtime?: Partial<RuntimeOptions>;
}

/**
 * The whole server in process (STYLE §1.7 createTestWorld): memory stores, a fake clock, the
 * test-fake and manual approval providers, the same composition main/ runs, and no port. `call`
 * sends one JSON 1.1 request exactly as a client would; `settle` runs the background components
 * (the in-process worker, lease reaper, timeout enforcer, rollback starter) until nothing is left
 * to do, so a test sees the state an idle server would reach.
 */
export function createTestWorld(options: TestWorldOptions = {}) {
  const clock = options.clock ?? createFakeClock(Date.UTC(2026, 10, 22, 12, 0, 0));
  const stores = options.stores ?? createMemoryStores();
  const fake = createTestFakeProvider();
  let n = options.firstId ?? 0;
  // Deterministic, UUID-shaped ids: failures reproduce, and ids still pass AWS's patterns.
  const newId = () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, "0")}`;
  const assembled: Assembled = assemble({
    stores,
    providers: [fake.provider, createManualApprovalProvider()],
    clock,
    newId,
    logger: silentLogger,
    runtime: { ...defaultRuntimeOptions, workerId: "test-worker", ...options.runtime },
    serverSecret: "test-secret",
    secretsKey: newSecretsKey(),
    startOnCreate: options.startOnCreate ?? true,
    authenticator: testAuthenticator,
    defaultScope: { accountId: "123456789012", region: "us-east-1" },
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    version: "test",
    credentials: [],
    mirrorDir: join(tmpdir(), `pipewright-mirrors-${process.pid}`),
    publicEndpoint: () => "http://pipewright.test",
    sourcePollIntervalMs: 1_000,
    buildsDir: join(tmpdir(), `pipewright-builds-${process.pid}`),
  });
  const signal = new AbortController().signal;

  async function call(
    operation: string,
    input: unknown,
    regionOrExtra: string | { region?: string; principal?: string } = {},
  ): Promise<CallResult> {
    const extra = typeof regionOrExtra === "string" ? { region: regionOrExtra } : regionOrExtra;
    const headers: Record<string, string> = {
      "x-amz-target": `CodePipeline_20150709.${operation}`,
      "content-type": "application/x-amz-json-1.1",
    };
    if (extra.region) headers["x-test-region"] = extra.region;
    if (extra.principal) headers["x-test-principal"] = extra.principal;
    const response = await assembled.app(
      new Request("http://pipewright.test/", { method: "POST", headers, body: JSON.stringify(input) }),
    );
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      headers: response.headers,
    };
  }

  /** Runs every background component until a whole round finds no work. */
  async function settle(maxRounds = 10_000): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      let work = 0;
      for (const component of assembled.runtime.components) {
        work += await component.runOnce(signal);
        await assembled.runtime.worker.drain();
      }
      if (work === 0) return;
    }
    throw new Error(`the test world did not settle in ${maxRounds} rounds`);
  }

  return { ...assembled, app: assembled.app, call, settle, clock, stores, fake, newId };
}

export type TestWorld = ReturnType<typeof createTestWorld>;
