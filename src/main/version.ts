/** Kept in step with package.json by a test (test/package.test.ts). */
export const PIPEWRIGHT_VERSION = "0.1.0";
