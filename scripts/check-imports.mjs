#!/usr/bin/env node
// Enforces the module map in docs/architecture.md: which folder of src/ may import which.
// Reads every .ts file under src/, resolves relative imports to a module, and fails with one
// line per forbidden import. Runs in `npm run lint` (and so in `npm test` and CI).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

// `--root DIR` checks another tree (the tests use it on a deliberately broken one).
const rootFlag = process.argv.indexOf("--root");
const root =
  rootFlag > 0
    ? resolve(process.argv[rootFlag + 1])
    : resolve(dirname(new URL(import.meta.url).pathname), "..");
const src = join(root, "src");

// module -> modules it may import (besides itself). Keep in step with docs/architecture.md.
const allowed = {
  lib: [],
  model: ["lib"],
  engine: ["model", "lib"],
  buildspec: ["lib"],
  codebuild: ["buildspec", "lib"],
  zip: ["lib"],
  registry: ["lib"],
  inside: ["lib"],
  "build-agent": ["buildspec", "codebuild", "zip", "git", "lib"],
  providers: ["model", "engine", "codebuild", "registry", "lib", "git", "zip"],
  store: ["model", "engine", "buildspec", "codebuild", "lib", "git", "registry"],
  git: ["lib"],
  runtime: [
    "engine",
    "model",
    "buildspec",
    "codebuild",
    "registry",
    "store/types",
    "store/registry-store-types",
    "providers/types",
    "build-agent/types",
    "lib",
  ],
  api: [
    "runtime",
    "store/types",
    "store/registry-store-types",
    "engine",
    "model",
    "buildspec",
    "codebuild",
    "registry",
    "lib",
  ],
  client: ["model", "lib"],
  cli: ["client", "model", "buildspec", "codebuild", "build-agent", "zip", "lib"],
  main: ["*"],
};
// Pure modules may not touch Node built-ins.
const pure = new Set(["lib", "model", "engine", "buildspec", "codebuild", "registry"]);
// Files that belong to a module but may be imported more widely than the module itself.
const publicFiles = {
  "store/types": "store/types.ts",
  "store/registry-store-types": "store/registry-store-types.ts",
  "providers/types": "providers/types.ts",
  "build-agent/types": "build-agent/types.ts",
};

function moduleOf(file) {
  const rel = relative(src, file).split(sep);
  return rel[0];
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (path.endsWith(".ts")) yield path;
  }
}

const importPattern =
  /(?:^|[\n;])\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
const problems = [];
for (const file of walk(src)) {
  const from = moduleOf(file);
  const isTest = /\.(test|contract)\.ts$/.test(file) || file.includes(`${sep}testing${sep}`);
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(importPattern)) {
    const spec = match[1] ?? match[2];
    const where = `${relative(root, file)}: imports '${spec}'`;
    if (spec.startsWith("node:") || /^(fs|path|http|crypto|os|child_process|url|util|stream)$/.test(spec)) {
      if (pure.has(from) && !isTest)
        problems.push(`${where}, but ${from}/ is pure and may not use Node built-ins`);
      continue;
    }
    if (!spec.startsWith(".")) continue;
    const target = resolve(dirname(file), spec).replace(/\.js$/, ".ts");
    const to = moduleOf(target);
    if (to === from || to.startsWith("..")) continue;
    const rules = allowed[from] ?? [];
    if (rules.includes("*") || rules.includes(to)) continue;
    const publicOk = Object.entries(publicFiles).some(
      ([key, path]) => rules.includes(key) && relative(src, target) === path,
    );
    if (publicOk) continue;
    // Tests may use test support from anywhere inside src.
    if (
      isTest &&
      (from === to ||
        [
          "lib",
          "model",
          "store",
          "runtime",
          "api",
          "git",
          "buildspec",
          "codebuild",
          "build-agent",
          "zip",
          "registry",
          "inside",
        ].includes(to))
    )
      continue;
    problems.push(
      `${where}, but ${from}/ may only import ${rules.length ? rules.join(", ") : "nothing internal"}`,
    );
  }
}
if (problems.length > 0) {
  process.stderr.write(
    `Import rules broken (see docs/architecture.md):\n${problems.map((p) => `  ${p}`).join("\n")}\n`,
  );
  process.exit(1);
}
process.stdout.write("import rules: ok\n");
