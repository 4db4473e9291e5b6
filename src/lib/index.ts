/**
 * lib: helpers that depend on nothing else in src/ (and on no Node built-in): Result, Clock,
 * Logger, the shape checker used for AWS-style input validation, assertNever.
 */
export * from "./assert-never.js";
export * from "./clock.js";
export * from "./keyed-lock.js";
export * from "./logger.js";
export * from "./result.js";
