import { defineConfig } from "vitest/config";

// The README's Quick start on a clean clone (test/quickstart): run by `npm test` after the rest
// of the suite, alone, since its `npm ci` compiles better-sqlite3 and would slow the timing-
// sensitive tests if it ran beside them.
export default defineConfig({
  test: {
    include: ["test/quickstart/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
