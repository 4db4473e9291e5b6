import { projectArn } from "../../codebuild/arns.js";
import type { ProjectDocument } from "../../codebuild/documents.js";
import { type ProjectInput, type ProjectProblem, projectFromInput } from "../../codebuild/project-input.js";
import { err, ok, type Result } from "../../lib/result.js";
import type { BuildProjectRecord, BuildStore, Scope } from "../../store/types.js";

export type ProjectFailure =
  | ProjectProblem
  | {
      readonly exception: "ResourceAlreadyExistsException" | "ResourceNotFoundException";
      readonly message: string;
    };

/** CodeBuild projects: create, update, read, list and delete, with CodeBuild's checks. */
export class ProjectService {
  constructor(private readonly store: BuildStore) {}

  async create(
    scope: Scope,
    input: ProjectInput,
    now: number,
  ): Promise<Result<BuildProjectRecord, ProjectFailure>> {
    const document = projectFromInput(input, projectArn(scope, input.name));
    if (!document.ok) return document;
    const record: BuildProjectRecord = {
      scope,
      name: input.name,
      document: document.value,
      created: now,
      lastModified: now,
    };
    const created = await this.store.createProject(record);
    if (!created.ok) {
      return err({
        exception: "ResourceAlreadyExistsException",
        message: `Project already exists: ${input.name}`,
      });
    }
    return ok(record);
  }

  async update(
    scope: Scope,
    input: ProjectInput,
    now: number,
  ): Promise<Result<BuildProjectRecord, ProjectFailure>> {
    const existing = await this.store.getProject(scope, input.name);
    if (!existing) return err(notFound(scope, input.name));
    const document = projectFromInput(input, existing.document.arn, existing.document);
    if (!document.ok) return document;
    const record: BuildProjectRecord = { ...existing, document: document.value, lastModified: now };
    const replaced = await this.store.replaceProject(record);
    return replaced.ok ? ok(record) : err(notFound(scope, input.name));
  }

  get(scope: Scope, name: string): Promise<BuildProjectRecord | undefined> {
    return this.store.getProject(scope, name);
  }

  /** Names sorted as ListProjects asks (NAME, CREATED_TIME or LAST_MODIFIED_TIME). */
  async listNames(
    scope: Scope,
    sortBy: "NAME" | "CREATED_TIME" | "LAST_MODIFIED_TIME",
    sortOrder: "ASCENDING" | "DESCENDING",
  ): Promise<string[]> {
    const records = await this.store.listProjects(scope);
    const key = (r: BuildProjectRecord) =>
      sortBy === "CREATED_TIME" ? r.created : sortBy === "LAST_MODIFIED_TIME" ? r.lastModified : 0;
    const sorted = [...records].sort(
      (a, b) => key(a) - key(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    if (sortOrder === "DESCENDING") sorted.reverse();
    return sorted.map((r) => r.name);
  }

  /** Deleting a project that does not exist succeeds, as on AWS. */
  async remove(scope: Scope, name: string): Promise<void> {
    await this.store.deleteProject(scope, name);
  }
}

export function notFound(scope: Scope, name: string): ProjectFailure {
  return {
    exception: "ResourceNotFoundException",
    message: `Project cannot be found: ${projectArn(scope, name)}`,
  };
}

export type { ProjectDocument };
