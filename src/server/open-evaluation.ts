import { Code } from "@connectrpc/connect";
import { evaluateEnvironment, type Decrypter, type Diagnostic, type EnvironmentLoader, type ProviderRegistry, type Value } from "../esc/index.js";
import type { Principal } from "../auth/index.js";
import { executionContextOf } from "./execution-context.js";
import type { ProviderCallRecord } from "./rpc/call-context.js";
import type { EnvironmentKey, RevisionRef, Store } from "../store/index.js";
import { definitionRefusal } from "./convert/diagnostics.js";
import { environmentName, SERVER_LIMITS } from "./definition-check.js";
import { createStoreLoader, parseImportName, type LoadedRevision } from "./environment-loader.js";
import type { ImportAccess } from "./import-access.js";
import type { EvaluationCache } from "./cache/evaluation-cache.js";

/** What opening needs besides the store: how to decrypt an environment's secrets, and the providers. */
export interface OpenDeps {
  readonly store: Store;
  /** The decrypter of one environment's ciphertext; undefined: ciphertext cannot be decrypted. */
  readonly decrypterFor?: (key: EnvironmentKey) => Decrypter;
  readonly providers?: ProviderRegistry;
  /** Builds the providers of one open; `record` receives each provider call (for the audit event). Wins over `providers`. */
  readonly providersFor?: (record: (call: ProviderCallRecord) => void) => ProviderRegistry;
  /** The providers' per-call time-out: an open may take up to three such calls in a row (login, then reads). */
  readonly providerTimeoutMs?: number;
  /** Told how long each evaluation took (metrics); `error` when it had errors or threw. */
  readonly onEvaluated?: (outcome: "ok" | "error", seconds: number) => void;
  /** Answers unchanged opens without evaluating again (validated against the database on every use). */
  readonly evaluationCache?: EvaluationCache;
}

/** An opened revision. */
export interface OpenedEnvironment {
  readonly revision: number;
  /** The top-level value; null for an empty environment. */
  readonly value: Value | null;
  readonly warnings: readonly Diagnostic[];
  /** The environment opened; undefined for an anonymous definition. */
  readonly environmentId?: string;
  /** Every import read (transitively), with the revision it read: the value depends on nothing else stored. */
  readonly imports: readonly PinnedImport[];
  /** A provider or rotator was asked for: the value depends on the world outside, too. */
  readonly dynamic: boolean;
}

/** An import as it was named, and the revision that name read. */
export interface PinnedImport {
  readonly ref: RevisionRef;
  readonly pin: LoadedRevision;
}

/**
 * Evaluates one revision in open mode (esc-language.md §14.1) with imports from the same org, each
 * environment's own decrypter, the providers, and the caller's execution context (§15). Errors refuse
 * the open with FailedPrecondition and the diagnostics (paths and positions only).
 */
export async function openEnvironment(deps: OpenDeps, key: EnvironmentKey, version: string, principal: Principal, calls?: ProviderCallRecord[], imports?: ImportAccess): Promise<OpenedEnvironment> {
  const { revision: number, definition, environmentId } = await deps.store.environments.readDefinition(key, version);
  const evaluate = deps.evaluationCache?.evaluate ?? evaluateEnvironment;
  const pins = createPinRecorder();
  const providers = watchProviders(providersOf(deps, calls));
  const result = await timed(deps, () => evaluate(definition, {
    name: environmentName(key),
    mode: "open",
    loader: imports === undefined ? openLoader(deps, key.org, pins.record) : imports.guard(openLoader(deps, key.org, pins.record), key.org),
    decrypter: deps.decrypterFor?.(key),
    providers: providers.registry,
    context: executionContextOf(principal, key.org),
    limits: openLimits(deps),
  }));
  // A readable import without `open` refuses the call by name (import-access.ts).
  const refused = imports?.refused();
  if (refused !== undefined) throw refused;
  if (result.diagnostics.some((d) => d.severity === "error")) {
    throw definitionRefusal(result.diagnostics, { code: Code.FailedPrecondition, prefix: `environment "${key.org}/${key.project}/${key.name}" has errors` });
  }
  return { revision: number, value: result.environment?.value ?? null, warnings: result.diagnostics, environmentId, imports: pins.imports(), dynamic: providers.used() };
}

/**
 * Evaluates a definition that is not stored (a Pulumi stack's `environment:` block) in open mode as
 * the anonymous root `<yaml>` (§15), its imports resolved in `org` like a stored environment's. It has
 * no data key of its own, so only its plaintext `fn::secret` values and its imports' secrets are usable.
 */
export async function openAnonymousDefinition(deps: OpenDeps, org: string, definition: string, principal: Principal, calls?: ProviderCallRecord[], imports?: ImportAccess): Promise<OpenedEnvironment> {
  const pins = createPinRecorder();
  const providers = watchProviders(providersOf(deps, calls));
  const result = await timed(deps, () => evaluateEnvironment(definition.trim() === "" ? "{}\n" : definition, {
    mode: "open",
    loader: imports === undefined ? openLoader(deps, org, pins.record) : imports.guard(openLoader(deps, org, pins.record), org),
    providers: providers.registry,
    context: executionContextOf(principal, org),
    limits: openLimits(deps),
  }));
  // A readable import without `open` refuses the call by name (import-access.ts).
  const refused = imports?.refused();
  if (refused !== undefined) throw refused;
  if (result.diagnostics.some((d) => d.severity === "error")) {
    throw definitionRefusal(result.diagnostics, { code: Code.FailedPrecondition, prefix: "the anonymous environment has errors" });
  }
  return { revision: 0, value: result.environment?.value ?? null, warnings: result.diagnostics, imports: pins.imports(), dynamic: providers.used() };
}

// Provider calls wait on other services: an open that makes them may run longer than a check.
function openLimits(deps: OpenDeps): typeof SERVER_LIMITS {
  const base = SERVER_LIMITS.maxEvaluationMs ?? 10_000;
  return { ...SERVER_LIMITS, maxEvaluationMs: Math.max(base, 3 * (deps.providerTimeoutMs ?? 0)) };
}

function providersOf(deps: OpenDeps, calls: ProviderCallRecord[] | undefined): ProviderRegistry | undefined {
  if (deps.providersFor === undefined) return deps.providers;
  return deps.providersFor((call) => calls?.push(call));
}

/**
 * The revisions an evaluation's imports read. A name loaded twice (the evaluation cache's check,
 * then a fresh evaluation) keeps its last read: the one the value was computed from.
 */
function createPinRecorder(): { record: (ref: RevisionRef, pin: LoadedRevision) => void; imports: () => PinnedImport[] } {
  const byName = new Map<string, PinnedImport>();
  return {
    record: (ref, pin) => void byName.set(`${ref.project}/${ref.name}@${ref.version}`, { ref, pin }),
    imports: () => [...byName.values()],
  };
}

/** Notes whether the evaluation asked for any provider or rotator. */
function watchProviders(registry: ProviderRegistry | undefined): { registry: ProviderRegistry | undefined; used: () => boolean } {
  let used = false;
  if (registry === undefined) return { registry, used: () => used };
  return {
    registry: {
      provider: (name) => ((used = true), registry.provider(name)),
      rotator: (name) => ((used = true), registry.rotator(name)),
    },
    used: () => used,
  };
}

// Imports of `org`, each decrypted with its own environment's data key.
function openLoader(deps: OpenDeps, org: string, onLoad?: (ref: RevisionRef, pin: LoadedRevision) => void): EnvironmentLoader {
  const base = createStoreLoader(deps.store, org, onLoad);
  const decrypterFor = deps.decrypterFor;
  if (decrypterFor === undefined) return base;
  return {
    async load(name: string, v: string | undefined) {
      const loaded = await base.load(name, v);
      return { ...loaded, decrypter: decrypterFor(parseImportName(org, name)) };
    },
  };
}

// The evaluation's duration (imports and provider calls included) for the metrics.
async function timed<T extends { readonly diagnostics: readonly Diagnostic[] }>(deps: OpenDeps, evaluate: () => Promise<T>): Promise<T> {
  if (deps.onEvaluated === undefined) return evaluate();
  const started = performance.now();
  let outcome: "ok" | "error" = "error";
  try {
    const result = await evaluate();
    if (!result.diagnostics.some((d) => d.severity === "error")) outcome = "ok";
    return result;
  } finally {
    deps.onEvaluated(outcome, (performance.now() - started) / 1000);
  }
}
