import type { TestCase, TestReportSummary } from "./report-types.js";

/** A report's summary as CodeBuild shows it: the total, counts per status present, total duration. */
export function summarizeTestCases(cases: readonly TestCase[]): TestReportSummary {
  const statusCounts: Record<string, number> = {};
  let durationInNanoSeconds = 0;
  for (const testCase of cases) {
    statusCounts[testCase.status] = (statusCounts[testCase.status] ?? 0) + 1;
    durationInNanoSeconds += testCase.durationInNanoSeconds;
  }
  return { total: cases.length, statusCounts, durationInNanoSeconds };
}

const FAILING = new Set(["FAILED", "ERROR"]);

/**
 * At most `max` cases (CodeBuild keeps 500 per report), failures and errors first so they are
 * never the ones dropped; within each group the original order is kept, and so is the original
 * order of the kept cases overall. `truncated` says whether any case was dropped.
 */
export function truncateTestCases(
  cases: readonly TestCase[],
  max = 500,
): { cases: TestCase[]; truncated: boolean } {
  if (cases.length <= max) return { cases: [...cases], truncated: false };
  const failing = cases.filter((testCase) => FAILING.has(testCase.status)).slice(0, max);
  let room = max - failing.length;
  const keep = new Set<TestCase>(failing);
  for (const testCase of cases) {
    if (room === 0) break;
    if (!keep.has(testCase)) {
      keep.add(testCase);
      room--;
    }
  }
  return { cases: cases.filter((testCase) => keep.has(testCase)), truncated: true };
}
