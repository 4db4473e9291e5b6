import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ExecutionMode } from "../../src/model/declaration.js";
import type { Operation } from "./operations.js";
import { operation } from "./operations.js";
import { runSequence } from "./run-sequence.js";

/**
 * The interleaving explorer (issue 9): random sequences of starts, job results, approvals,
 * stops, retries, transitions, pipeline updates, time and crashes, in each execution mode, with
 * the invariants checked after every step and liveness at the end. A failure prints the shrunk
 * sequence; add it to regressions.json so it runs on every test run from then on.
 */

const MODES: readonly ExecutionMode[] = ["SUPERSEDED", "QUEUED", "PARALLEL"];
const RUNS = Number(process.env.PIPEWRIGHT_EXPLORER_RUNS ?? 2_000);

interface Regression {
  readonly name: string;
  readonly mode: ExecutionMode;
  readonly ops: Operation[];
}

const regressions = JSON.parse(
  readFileSync(join(import.meta.dirname, "regressions.json"), "utf8"),
) as Regression[];

describe("interleaving explorer", () => {
  for (const mode of MODES) {
    it(`keeps every invariant over ${RUNS} random sequences in ${mode} mode`, () => {
      fc.assert(
        fc.property(fc.array(operation, { minLength: 1, maxLength: 40 }), (ops) => {
          runSequence(mode, ops);
        }),
        {
          numRuns: RUNS,
          ...(process.env.PIPEWRIGHT_EXPLORER_SEED
            ? { seed: Number(process.env.PIPEWRIGHT_EXPLORER_SEED) }
            : {}),
        },
      );
    }, 120_000);
  }

  describe("sequences it found", () => {
    for (const r of regressions) {
      it(r.name, () => {
        expect(() => runSequence(r.mode, r.ops)).not.toThrow();
      });
    }
  });
});
