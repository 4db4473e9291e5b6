/**
 * The runtimes Pipewright runs, by Lambda's identifiers. Every `nodejs*` one runs on the Node.js
 * that runs Pipewright (one interpreter: the identifier picks the handler contract, not a
 * version), every `python3.*` one on the `python3` on PATH when there is one.
 */
export const NODE_RUNTIMES = ["nodejs18.x", "nodejs20.x", "nodejs22.x"] as const;
export const PYTHON_RUNTIMES = ["python3.9", "python3.10", "python3.11", "python3.12", "python3.13"] as const;

export type RuntimeFamily = "node" | "python";

export function runtimeFamily(runtime: string): RuntimeFamily | undefined {
  if ((NODE_RUNTIMES as readonly string[]).includes(runtime)) return "node";
  if ((PYTHON_RUNTIMES as readonly string[]).includes(runtime)) return "python";
  return undefined;
}

/**
 * The files of a zip one of which must hold the handler's module: `src/app.handler` is
 * `src/app.js`, `.mjs` or `.cjs` for Node.js, `src/app.py` (or a package `src/app/__init__.py`)
 * for Python. Undefined when the handler has no `module.export` form.
 */
export function handlerFiles(family: RuntimeFamily, handler: string): string[] | undefined {
  const dot = handler.lastIndexOf(".");
  if (dot <= 0 || dot === handler.length - 1) return undefined;
  const module = handler.slice(0, dot);
  if (family === "node") return [".js", ".mjs", ".cjs"].map((ext) => `${module}${ext}`);
  const path = module.replaceAll(".", "/");
  return [`${path}.py`, `${path}/__init__.py`];
}
