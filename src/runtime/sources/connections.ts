import { connectionIdOf } from "../../engine/source-triggers.js";
import { err, ok, type Result } from "../../lib/result.js";
import type { ServiceFailure } from "../../model/exceptions.js";
import type { ConnectionRecord, ConnectionStore, Scope } from "../../store/types.js";

/** The tag that says where a connection's repositories live (see ConnectionRecord.repositoryRoot). */
export const REPOSITORY_ROOT_TAG = "pipewright:repository-root";
/** A repository root naming this server's hosted repositories. */
export const HOSTED_ROOT = "pipewright:";

/** AWS's quota of connections per account and region. */
export const MAX_CONNECTIONS = 250;

const PUBLIC_HOSTS: Record<string, string> = {
  GitHub: "https://github.com",
  GitLab: "https://gitlab.com",
  Bitbucket: "https://bitbucket.org",
};

export type ConnectionService = "codeconnections" | "codestar-connections";

/**
 * Connections (CodeConnections / CodeStar connections): named pointers at repositories outside
 * Pipewright. AWS connections need a handshake with the provider and start PENDING; Pipewright's
 * are AVAILABLE at once, and where their repositories live comes from the
 * `pipewright:repository-root` tag (a local directory, a git URL prefix, or `pipewright:` for this
 * server's hosted repositories), else the provider's public host.
 */
export function createConnections(store: ConnectionStore, newId: () => string) {
  return {
    arnOf(record: ConnectionRecord, service: ConnectionService): string {
      return `arn:aws:${service}:${record.scope.region}:${record.scope.accountId}:connection/${record.connectionId}`;
    },

    async create(
      scope: Scope,
      input: {
        name: string;
        providerType?: string;
        hostArn?: string;
        tags: readonly { Key: string; Value: string }[];
      },
      now: number,
    ): Promise<Result<ConnectionRecord, ServiceFailure>> {
      if (!input.providerType && !input.hostArn) {
        return err({
          type: "ValidationException",
          message: "CreateConnection needs ProviderType or HostArn",
        });
      }
      let count = 0;
      let after: string | undefined;
      do {
        const page = await store.list(scope, after === undefined ? { limit: 100 } : { after, limit: 100 });
        count += page.items.length;
        if (page.items.some((c) => c.connectionName === input.name)) {
          return err({
            type: "ResourceUnavailableException",
            message: `A connection named '${input.name}' already exists; connection names are unique in an account`,
          });
        }
        after = page.nextAfter;
      } while (after !== undefined);
      if (count >= MAX_CONNECTIONS) {
        return err({
          type: "LimitExceededException",
          message: `Account '${scope.accountId}' has reached the limit of ${MAX_CONNECTIONS} connections in region '${scope.region}'`,
        });
      }
      const root = input.tags.find((t) => t.Key === REPOSITORY_ROOT_TAG)?.Value;
      if (root !== undefined && root !== HOSTED_ROOT && !/^(\/|https?:\/\/|ssh:\/\/|git:\/\/)/u.test(root)) {
        return err({
          type: "ValidationException",
          message: `Tag ${REPOSITORY_ROOT_TAG} must be an absolute directory, an http(s)://, ssh:// or git:// URL prefix, or '${HOSTED_ROOT}' for this server's hosted repositories; got '${root}'`,
        });
      }
      const record: ConnectionRecord = {
        scope,
        connectionId: newId(),
        connectionName: input.name,
        providerType: input.providerType ?? "GitHubEnterpriseServer",
        ...(input.hostArn ? { hostArn: input.hostArn } : {}),
        ...(root ? { repositoryRoot: root.replace(/\/+$/u, "") } : {}),
        tags: input.tags,
        created: now,
      };
      const created = await store.create(record);
      return created.ok
        ? ok(record)
        : err({ type: "ConflictException", message: "The connection was created twice at once; retry" });
    },

    async get(scope: Scope, arn: string): Promise<Result<ConnectionRecord, ServiceFailure>> {
      const id = connectionIdOf(arn);
      const found = id ? await store.get(scope, id) : undefined;
      return found
        ? ok(found)
        : err({
            type: "ResourceNotFoundException",
            message: `Connection ${arn} does not exist in this account and region`,
          });
    },

    list: (scope: Scope, after: string | undefined, limit: number) =>
      store.list(scope, after === undefined ? { limit } : { after, limit }),

    async remove(scope: Scope, arn: string): Promise<Result<void, ServiceFailure>> {
      const id = connectionIdOf(arn);
      if (!id || !(await store.remove(scope, id))) {
        return err({
          type: "ResourceNotFoundException",
          message: `Connection ${arn} does not exist in this account and region`,
        });
      }
      return ok(undefined);
    },

    /**
     * Where `git clone` finds a repository of the connection; undefined for hosted repositories.
     * FullRepositoryId must be path segments of `[\w.-]` (no `..`), so it cannot leave the root.
     */
    repositoryUrl(record: ConnectionRecord, fullRepositoryId: string): string | undefined {
      if (!isRepositoryId(fullRepositoryId)) {
        throw new Error(
          `repository id '${fullRepositoryId}' must be path segments of letters, digits, '.', '_' and '-'`,
        );
      }
      const root = record.repositoryRoot ?? PUBLIC_HOSTS[record.providerType] ?? PUBLIC_HOSTS.GitHub!;
      if (root === HOSTED_ROOT) return undefined;
      return `${root}/${fullRepositoryId}`;
    },

    isHosted: (record: ConnectionRecord) => record.repositoryRoot === HOSTED_ROOT,
  };
}

export type Connections = ReturnType<typeof createConnections>;

/** `owner/repo` (or deeper): segments of `[\w.-]`, none of them `.` or `..`. */
export function isRepositoryId(id: string): boolean {
  return id.split("/").every((segment) => /^[\w.-]+$/u.test(segment) && segment !== "." && segment !== "..");
}
