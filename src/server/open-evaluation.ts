import { Code } from "@connectrpc/connect";
import { evaluateEnvironment, type Decrypter, type Diagnostic, type EnvironmentLoader, type ProviderRegistry, type Value } from "../esc/index.js";
import type { Principal } from "../auth/index.js";
import type { EnvironmentKey, Store } from "../store/index.js";
import { definitionRefusal } from "./convert/diagnostics.js";
import { environmentName, SERVER_LIMITS } from "./definition-check.js";
import { createStoreLoader, parseImportName } from "./environment-loader.js";

/** What opening needs besides the store: how to decrypt an environment's secrets, and the providers. */
export interface OpenDeps {
  readonly store: Store;
  /** The decrypter of one environment's ciphertext; undefined: ciphertext cannot be decrypted. */
  readonly decrypterFor?: (key: EnvironmentKey) => Decrypter;
  readonly providers?: ProviderRegistry;
}

/** An opened revision. */
export interface OpenedEnvironment {
  readonly revision: number;
  /** The top-level value; null for an empty environment. */
  readonly value: Value | null;
  readonly warnings: readonly Diagnostic[];
}

/**
 * Evaluates one revision in open mode (esc-language.md §14.1) with imports from the same org, each
 * environment's own decrypter, the providers, and the caller's execution context (§15). Errors refuse
 * the open with FailedPrecondition and the diagnostics (paths and positions only).
 */
export async function openEnvironment(deps: OpenDeps, key: EnvironmentKey, version: string, principal: Principal): Promise<OpenedEnvironment> {
  const { revision: number, definition } = await deps.store.environments.readDefinition(key, version);
  const result = await evaluateEnvironment(definition, {
    name: environmentName(key),
    mode: "open",
    loader: openLoader(deps, key.org),
    decrypter: deps.decrypterFor?.(key),
    providers: deps.providers,
    context: { pulumi: { user: { login: principal.login }, organization: { login: key.org } } },
    limits: SERVER_LIMITS,
  });
  if (result.diagnostics.some((d) => d.severity === "error")) {
    throw definitionRefusal(result.diagnostics, { code: Code.FailedPrecondition, prefix: `environment "${key.org}/${key.project}/${key.name}" has errors` });
  }
  return { revision: number, value: result.environment?.value ?? null, warnings: result.diagnostics };
}

/**
 * Evaluates a definition that is not stored (a Pulumi stack's `environment:` block) in open mode as
 * the anonymous root `<yaml>` (§15), its imports resolved in `org` like a stored environment's. It has
 * no data key of its own, so only its plaintext `fn::secret` values and its imports' secrets are usable.
 */
export async function openAnonymousDefinition(deps: OpenDeps, org: string, definition: string, principal: Principal): Promise<OpenedEnvironment> {
  const result = await evaluateEnvironment(definition.trim() === "" ? "{}\n" : definition, {
    mode: "open",
    loader: openLoader(deps, org),
    providers: deps.providers,
    context: { pulumi: { user: { login: principal.login }, organization: { login: org } } },
    limits: SERVER_LIMITS,
  });
  if (result.diagnostics.some((d) => d.severity === "error")) {
    throw definitionRefusal(result.diagnostics, { code: Code.FailedPrecondition, prefix: "the anonymous environment has errors" });
  }
  return { revision: 0, value: result.environment?.value ?? null, warnings: result.diagnostics };
}

// Imports of `org`, each decrypted with its own environment's data key.
function openLoader(deps: OpenDeps, org: string): EnvironmentLoader {
  const base = createStoreLoader(deps.store, org);
  const decrypterFor = deps.decrypterFor;
  if (decrypterFor === undefined) return base;
  return {
    async load(name: string, v: string | undefined) {
      const loaded = await base.load(name, v);
      return { ...loaded, decrypter: decrypterFor(parseImportName(org, name)) };
    },
  };
}
