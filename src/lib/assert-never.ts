/** Marks a branch the type system proves unreachable; reaching it at run time is a bug. */
export function assertNever(value: never, context = "unexpected value"): never {
  throw new Error(`${context}: ${JSON.stringify(value)}`);
}
