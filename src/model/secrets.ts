import type { ActionTypeCatalog } from "./action-types/action-type.js";
import type { PipelineDeclaration } from "./declaration.js";

/** What GetPipeline shows instead of a secret configuration value. */
export const MASK = "****";

function secretNames(catalog: ActionTypeCatalog, id: Parameters<ActionTypeCatalog["find"]>[0]): Set<string> {
  return new Set(
    (catalog.find(id)?.actionConfigurationProperties ?? []).filter((p) => p.secret).map((p) => p.name),
  );
}

function mapActions(
  decl: PipelineDeclaration,
  f: (config: Record<string, string>, secrets: Set<string>, si: number, ai: number) => Record<string, string>,
  catalog: ActionTypeCatalog,
): PipelineDeclaration {
  return {
    ...decl,
    stages: decl.stages.map((s, si) => ({
      ...s,
      actions: s.actions.map((a, ai) => {
        const secrets = secretNames(catalog, a.actionTypeId);
        return secrets.size === 0 || !a.configuration
          ? a
          : { ...a, configuration: f(a.configuration, secrets, si, ai) };
      }),
    })),
  };
}

/** A copy with every secret property value replaced by `****`. */
export function maskSecretConfiguration(
  decl: PipelineDeclaration,
  catalog: ActionTypeCatalog,
): PipelineDeclaration {
  return mapActions(
    decl,
    (config, secrets) =>
      Object.fromEntries(Object.entries(config).map(([k, v]) => [k, secrets.has(k) ? MASK : v])),
    catalog,
  );
}

/** On update, a secret sent back as `****` keeps the value stored for the same stage and action. */
export function restoreMaskedSecrets(
  next: PipelineDeclaration,
  previous: PipelineDeclaration,
  catalog: ActionTypeCatalog,
): PipelineDeclaration {
  return mapActions(
    next,
    (config, secrets, si) =>
      Object.fromEntries(
        Object.entries(config).map(([k, v]) => {
          if (!secrets.has(k) || v !== MASK) return [k, v];
          const stageName = next.stages[si]?.name;
          const oldStage = previous.stages.find((s) => s.name === stageName);
          const actionName = next.stages[si]?.actions.find((a) => a.configuration === config)?.name;
          const old = oldStage?.actions.find((a) => a.name === actionName)?.configuration?.[k];
          return [k, old ?? v];
        }),
      ),
    catalog,
  );
}

/**
 * A copy with every secret property value but `****` passed through `f`: the runtime seals them
 * with its cipher before storing and opens them again before restoring a masked update.
 */
export function mapSecretConfiguration(
  decl: PipelineDeclaration,
  catalog: ActionTypeCatalog,
  f: (value: string) => string,
): PipelineDeclaration {
  return mapActions(
    decl,
    (config, secrets) =>
      Object.fromEntries(
        Object.entries(config).map(([k, v]) => [k, secrets.has(k) && v !== MASK ? f(v) : v]),
      ),
    catalog,
  );
}
