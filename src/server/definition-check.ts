import { checkDefinition, type Diagnostic, type Limits, type ProviderRegistry } from "../esc/index.js";
import { createBuiltinProviders } from "../providers/index.js";
import type { Principal } from "../auth/index.js";
import type { EnvironmentKey, Store } from "../store/index.js";
import { executionContextOf } from "./execution-context.js";
import { definitionRefusal } from "./convert/diagnostics.js";
import { createStoreLoader } from "./environment-loader.js";

/** Bounds on a definition the server stores (ARCHITECTURE.md rule 6). */
export const MAX_DEFINITION_BYTES = 1024 * 1024;
export const MAX_DEFINITION_DEPTH = 64;

/** The language's bounds as the server applies them to stored definitions and their checks. */
export const SERVER_LIMITS: Partial<Limits> = {
  maxDocumentBytes: MAX_DEFINITION_BYTES,
  maxDepth: MAX_DEFINITION_DEPTH,
  maxEvaluationMs: 10_000,
};

/** The built-in providers as check mode sees them: schemas only, never called (§14.2). */
export const CHECK_PROVIDERS: ProviderRegistry = createBuiltinProviders().registry();

/** A definition that may be stored, and the warnings found in it. */
export interface CheckedDefinition {
  readonly definition: string;
  readonly warnings: readonly Diagnostic[];
}

/**
 * Checks a definition before it is stored (esc-language.md §14.2: no provider is called, nothing is
 * decrypted), resolving imports against the environments of the same org. Errors refuse it with
 * InvalidArgument and the diagnostics attached; warnings are returned. An empty definition is `{}`.
 */
export async function checkDefinitionForStore(store: Store, key: EnvironmentKey, definition: string, principal?: Principal): Promise<CheckedDefinition> {
  const text = definition.trim() === "" ? "{}\n" : definition;
  const result = await checkDefinition(text, environmentName(key), {
    loader: createStoreLoader(store, key.org),
    providers: CHECK_PROVIDERS,
    ...(principal === undefined ? {} : { context: executionContextOf(principal, key.org) }),
    limits: SERVER_LIMITS,
  });
  if (result.hasErrors) throw definitionRefusal(result.diagnostics);
  return { definition: text, warnings: result.diagnostics };
}

/** The name an environment has in ranges and `context.currentEnvironment.name`: `project/env`. */
export function environmentName(key: EnvironmentKey): string {
  return `${key.project}/${key.name}`;
}
