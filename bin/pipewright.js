#!/usr/bin/env node
// The `pipewright` command: runs the compiled CLI in dist/ (built by `npm run build`, which
// `npm ci` / `npm install` in a clone and `npm pack` run through the `prepare` script).
import { existsSync } from "node:fs";
import module from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Node 22.1+ keeps V8's compiled code of dist/ between runs (in the OS temp directory), which
// cuts module loading, most of a short command's start-up (docs/cli.md). Node 20 has no such
// cache: there this is skipped.
module.enableCompileCache?.();

const root = dirname(dirname(fileURLToPath(import.meta.url)));
let runCli;
try {
  ({ runCli } = await import("../dist/main/cli.js"));
} catch (error) {
  if (!existsSync(join(root, "dist", "main", "cli.js"))) {
    process.stderr.write(
      `pipewright: ${join(root, "dist")} is missing: run \`npm run build\` in ${root} once (npm ci and npm install run it)\n`,
    );
    process.exit(70);
  }
  throw error;
}

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(
      `pipewright: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);
