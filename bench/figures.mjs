// The one format every benchmark saves its figures in, so `npm run bench` (bench/all.mjs) can
// print one table of them all. A figure is a measure, its value and unit, and (when the bench
// has one) the floor measured in the same run, the ratio to it and the goal.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./support.mjs";

export const FIGURES_DIR = join(root, "bench", "results", "figures");

/**
 * Saves `figures` of bench `name` to bench/results/figures/<name>.json.
 * Each figure: { measure, value, unit, floor?, floorName?, goal?, ratio? }; `ratio` defaults to
 * value / floor when a floor is given.
 */
export function saveFigures(name, figures, settings = {}) {
  const rows = figures.map((f) => ({
    ...f,
    ratio: f.ratio ?? (typeof f.floor === "number" && f.floor !== 0 ? f.value / f.floor : undefined),
  }));
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(
    join(FIGURES_DIR, `${name}.json`),
    `${JSON.stringify({ bench: name, date: new Date().toISOString(), settings, figures: rows }, null, 2)}\n`,
  );
}
