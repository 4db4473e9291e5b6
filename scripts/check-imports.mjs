#!/usr/bin/env node
// Enforces the module map in docs/architecture.md: which folder of src/ may import which.
// Reads every .ts file under src/, resolves relative imports to a module, and fails with one
// line per forbidden import. Runs in `npm run lint` (and so in `npm test` and CI).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
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
  "task-runtime": ["lib"],
  lambda: ["zip", "lib"],
  "build-agent": ["buildspec", "codebuild", "zip", "git", "lib"],
  providers: ["model", "engine", "codebuild", "registry", "lib", "git", "zip"],
  store: ["model", "engine", "buildspec", "codebuild", "lib", "git", "registry"],
  git: ["lib"],
  "load-balancer": ["lib"],
  runtime: [
    "engine",
    "model",
    "buildspec",
    "codebuild",
    "load-balancer/types",
    "registry",
    "store/types",
    "providers/types",
    "build-agent/types",
    "task-runtime/types",
    "lib",
  ],
  api: ["runtime", "store/types", "engine", "model", "buildspec", "codebuild", "registry", "lib"],
  client: ["model", "lib"],
  cli: ["client", "model", "buildspec", "codebuild", "build-agent", "zip", "lib"],
  main: ["*"],
};
// Pure modules may not touch Node built-ins.
const pure = new Set(["lib", "model", "engine", "buildspec", "codebuild", "registry"]);
// Folders inside a shell module that are pure all the same (checked as the pure modules are).
const pureFolders = [/^load-balancer\/core\//];
// Files that belong to a module but may be imported more widely than the module itself.
// "store/types" stands for the store's contract files: types.ts and one *-types.ts per aggregate.
const publicFiles = {
  "load-balancer/types": /^load-balancer\/(types|core\/[a-z-]+)\.ts$/,
  "store/types": /^store\/([a-z-]+-)?types\.ts$/,
  "providers/types": /^providers\/types\.ts$/,
  "build-agent/types": /^build-agent\/types\.ts$/,
  "task-runtime/types": /^task-runtime\/types\.ts$/,
};
// npm packages a pure module may use (everything else is the shell's).
const purePackages = {
  lib: [],
  model: ["yaml"],
  engine: [],
  buildspec: ["yaml", "fast-xml-parser"],
  codebuild: [],
  registry: [],
};
// Globals that read the world: pure code gets the time, ids and timers from its caller.
const impureGlobals = [
  [/\bDate\.now\s*\(/u, "Date.now()"],
  [/\bnew Date\(\s*\)/u, "new Date() (the current time)"],
  [/\bMath\.random\s*\(/u, "Math.random()"],
  [/\bperformance\.now\s*\(/u, "performance.now()"],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/u, "timers"],
  [/\bprocess\.[a-zA-Z]/u, "process"],
  [/\bcrypto\.(randomUUID|getRandomValues)\b/u, "crypto randomness"],
  [/\b(fetch|require)\s*\(/u, "I/O"],
];
const builtins = new Set(builtinModules.filter((m) => !m.startsWith("_")));

/** The source without comments and string contents, so that only code is searched for globals. */
function codeOnly(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//gu, "")
    .replace(/(^|[^:\\])\/\/.*$/gmu, "$1")
    .replace(/`(?:\\[\s\S]|\$\{[^}]*\}|[^`\\])*`/gu, "``")
    .replace(/"(?:\\.|[^"\\\n])*"/gu, '""')
    .replace(/'(?:\\.|[^'\\\n])*'/gu, "''");
}

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
  const relPath = relative(src, file).split(sep).join("/");
  const isPure = pure.has(from) || pureFolders.some((p) => p.test(relPath));
  if (isPure && !isTest) {
    const code = codeOnly(text);
    for (const [pattern, what] of impureGlobals) {
      if (pattern.test(code))
        problems.push(`${relative(root, file)}: uses ${what}, but ${from}/ is pure: take it from the caller`);
    }
  }
  for (const match of text.matchAll(importPattern)) {
    const spec = match[1] ?? match[2];
    const where = `${relative(root, file)}: imports '${spec}'`;
    if (spec.startsWith("node:") || builtins.has(spec.split("/")[0])) {
      if (isPure && !isTest) problems.push(`${where}, but ${from}/ is pure and may not use Node built-ins`);
      continue;
    }
    if (!spec.startsWith(".")) {
      const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      if (isPure && !isTest && !(purePackages[from] ?? []).includes(pkg))
        problems.push(
          `${where}, but ${from}/ is pure and may use only ${purePackages[from]?.join(", ") || "no npm packages"}`,
        );
      continue;
    }
    const target = resolve(dirname(file), spec).replace(/\.js$/, ".ts");
    const to = moduleOf(target);
    if (to === from || to.startsWith("..")) continue;
    const rules = allowed[from] ?? [];
    if (rules.includes("*") || rules.includes(to)) continue;
    const publicOk = Object.entries(publicFiles).some(
      ([key, pattern]) => rules.includes(key) && pattern.test(relative(src, target).split(sep).join("/")),
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
