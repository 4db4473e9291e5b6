/**
 * store: durable state, one narrow interface per aggregate (types.ts states the contract).
 *
 * Owns: pipeline declarations with every version kept, custom action types (deleted ones too)
 * and tags by resource ARN, each scoped by account and region; run state (executions as events
 * and snapshots, each pipeline's lanes, jobs), changed atomically by RunStore.commit; S3
 * objects; hosted git repositories (records, and bare directories named by id with pushes
 * serialised per repository: repositories/); the SQLite schema and its numbered migrations
 * (sqlite/migrations/, never edited once released); and the one behavioural suite every
 * implementation runs (store.contract.ts).
 *
 * Implementations: memory/ (tests, createTestWorld) and sqlite/ (the embedded server). A
 * PostgreSQL one is meant to follow; docs/store.md maps each method onto it.
 *
 * Does not own: parsing or validating what it stores (model/), deciding what to store
 * (runtime/), or turning conflicts into AWS exceptions (api/). Only `main/` picks an
 * implementation; everyone else sees types.ts.
 */

export { createMemoryStores } from "./memory/create-memory-stores.js";
export { createSqliteStores } from "./sqlite/create-sqlite-stores.js";
export type * from "./types.js";
