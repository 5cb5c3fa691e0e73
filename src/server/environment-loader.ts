import { Code, ConnectError } from "@connectrpc/connect";
import type { EnvironmentLoader, LoadedDefinition } from "../esc/index.js";
import type { EnvironmentKey, RevisionRef, Store } from "../store/index.js";

const SEGMENT = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * Resolves the language's import names against stored environments of one org
 * (esc-language.md §3.2): `env` is `default/env`, `project/env` names a project, and `@version`
 * (a revision number, a tag or `latest`) pins a revision. Failures become the import's diagnostic,
 * so their messages name the environment as the definition wrote it and never carry content.
 * `onLoad` learns which revision each load read (the open caches' pins).
 */
export function createStoreLoader(store: Store, org: string, onLoad?: (ref: RevisionRef, pin: LoadedRevision) => void): EnvironmentLoader {
  return {
    async load(name: string, version: string | undefined): Promise<LoadedDefinition> {
      const key = parseImportName(org, name);
      try {
        const { definition, revision, environmentId } = await store.environments.readDefinition(key, version ?? "");
        onLoad?.({ project: key.project, name: key.name, version: version ?? "" }, { environmentId, revision });
        return { yaml: definition };
      } catch (e) {
        const ce = ConnectError.from(e);
        const shown = version === undefined ? name : `${name}@${version}`;
        if (ce.code === Code.NotFound) throw new Error(`environment "${shown}" not found`);
        if (ce.code === Code.FailedPrecondition) throw new Error(`environment "${shown}": ${ce.rawMessage}`);
        throw e;
      }
    },
  };
}

/** The revision one load read: revisions are immutable, so this names its content exactly. */
export interface LoadedRevision {
  readonly environmentId: string;
  readonly revision: number;
}

/** `env` → default/env; `project/env` → project/env; anything else is refused. */
export function parseImportName(org: string, name: string): EnvironmentKey {
  const parts = name.split("/");
  const [project, env] = parts.length === 1 ? ["default", parts[0] as string] : parts.length === 2 ? (parts as [string, string]) : ["", ""];
  if (!SEGMENT.test(project) || !SEGMENT.test(env)) {
    throw new Error(`invalid environment name "${name}": expected "project/environment" or "environment"`);
  }
  return { org, project, name: env };
}
