import { execFileSync } from "node:child_process";

/**
 * Runs a Python 3 snippet (the standard library's `zipfile` is our independent judge of the
 * format) with arguments, returning its standard output. Throws with Python's stderr.
 */
export function python(script: string, ...args: string[]): string {
  return execFileSync("/usr/bin/python3", ["-c", script, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs a Python snippet that writes a zip to its standard output; returns the bytes. */
export function pythonZipBytes(script: string, ...args: string[]): Buffer {
  return execFileSync("/usr/bin/python3", ["-c", script, ...args], { maxBuffer: 64 * 1024 * 1024 });
}
