/**
 * Test results read from report files (spec/buildspec.md §3.5), in the shapes of CodeBuild's
 * API (`TestCase`, `TestReportSummary`). Statuses are CodeBuild's strings.
 */

export const testCaseStatuses = ["SUCCEEDED", "FAILED", "ERROR", "SKIPPED", "UNKNOWN"] as const;
export type TestCaseStatus = (typeof testCaseStatuses)[number];

export interface TestCase {
  /** The report file the case came from, relative to the build's source directory. */
  readonly testRawDataPath: string;
  /** The class or suite prefix (JUnit `classname`). */
  readonly prefix: string;
  readonly name: string;
  readonly status: TestCaseStatus;
  readonly durationInNanoSeconds: number;
  /** Failure or error text, at most 5,000 characters. */
  readonly message?: string;
  readonly testSuiteName?: string;
}

export interface TestReportSummary {
  readonly total: number;
  /** Status -> count, only statuses that occur. */
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly durationInNanoSeconds: number;
}
