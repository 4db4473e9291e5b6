import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The README's Quick start runs after everything else (vitest.quickstart.config.ts).
    exclude: ["**/node_modules/**", "test/quickstart/**"],
    // Integration tests need a service (a server process, dockerd, PostgreSQL); they switch
    // themselves on through environment variables and say why when they skip.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
