#!/usr/bin/env node
// `npm start`'s first step: dist/ must be at least as new as every file under src/ (and the
// tsconfig files). When it is, nothing runs (a few milliseconds); when dist/ is missing or
// older, this says which file is newer and runs `npm run build` once, so `npm start` never
// serves stale code and never pays for the compiler when nothing changed.
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// `--root DIR` checks another tree (the test uses a small one with its own build script).
const rootFlag = process.argv.indexOf("--root");
const root =
  rootFlag > 0 ? resolve(process.argv[rootFlag + 1]) : dirname(dirname(fileURLToPath(import.meta.url)));
const built = join(root, "dist", "main", "cli.js");

function newestSource() {
  let newest = {
    file: join(root, "tsconfig.build.json"),
    mtime: statSync(join(root, "tsconfig.build.json")).mtimeMs,
  };
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        const mtime = statSync(path).mtimeMs;
        if (mtime > newest.mtime) newest = { file: path, mtime };
      }
    }
  };
  visit(join(root, "src"));
  return newest;
}

let builtAt;
try {
  builtAt = statSync(built).mtimeMs;
} catch {
  builtAt = undefined;
}
const newest = newestSource();
if (builtAt === undefined || newest.mtime > builtAt) {
  const why =
    builtAt === undefined ? "dist/ is missing" : `${relative(root, newest.file)} is newer than dist/`;
  process.stderr.write(`pipewright: ${why}; building (npm run build)\n`);
  execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "--silent", "build"], {
    cwd: root,
    stdio: "inherit",
  });
}
