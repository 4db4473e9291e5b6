/** CodeBuild's ARNs and ids (spec/buildspec.md §5.1), from a scope and names. */

export interface ArnScope {
  readonly accountId: string;
  readonly region: string;
}

const prefix = (s: ArnScope) => `arn:aws:codebuild:${s.region}:${s.accountId}`;

export const projectArn = (s: ArnScope, name: string) => `${prefix(s)}:project/${name}`;
/** `id` is `<project>:<uuid>`. */
export const buildArn = (s: ArnScope, id: string) => `${prefix(s)}:build/${id}`;
export const reportGroupArn = (s: ArnScope, name: string) => `${prefix(s)}:report-group/${name}`;
export const reportArn = (s: ArnScope, groupName: string, buildUuid: string) =>
  `${prefix(s)}:report/${groupName}:${buildUuid}`;

/** A build id or build ARN as the API accepts it, reduced to the id; undefined when neither. */
export function buildIdFrom(idOrArn: string): string | undefined {
  const arn = /^arn:aws[a-z-]*:codebuild:[^:]*:[^:]*:build\/(.+)$/.exec(idOrArn);
  const id = arn ? arn[1] : idOrArn;
  return id && /^[^:]+:[^:]+$/.test(id) ? id : undefined;
}

/** A project name or project ARN, reduced to the name. */
export function projectNameFrom(nameOrArn: string): string {
  const arn = /^arn:aws[a-z-]*:codebuild:[^:]*:[^:]*:project\/(.+)$/.exec(nameOrArn);
  return arn?.[1] ?? nameOrArn;
}

/** The report group a buildspec `reports:` key names: an ARN as is, a name as `<project>-<name>`. */
export function reportGroupOf(s: ArnScope, projectName: string, key: string): { name: string; arn: string } {
  const arn = /^arn:aws[a-z-]*:codebuild:[^:]*:[^:]*:report-group\/(.+)$/.exec(key);
  if (arn?.[1]) return { name: arn[1], arn: key };
  const name = `${projectName}-${key}`;
  return { name, arn: reportGroupArn(s, name) };
}
