/**
 * A cache of open-mode evaluations, so that resolving an unchanged environment does not parse,
 * evaluate and decrypt it again. Correct on any number of replicas without invalidation messages:
 *
 * - The key is the exact root definition (its revision's immutable content) plus everything else the
 *   evaluation reads that is not stored: the environment's name and the caller's execution context.
 * - An entry records every import the evaluation loaded — name, version as written, and a hash of
 *   the content the loader returned. A hit re-runs those loads through the caller's own loader (so the
 *   database, retractions, moved tags and the caller's import permissions are all checked again, on
 *   every request, on every replica) and is used only when every content hash is unchanged.
 * - Evaluations that called a provider (dynamic credentials), that have errors, or that are not in
 *   open mode are never stored.
 * - Entries hold decrypted secrets, so they are kept encrypted (AES-256-GCM under a random key that
 *   exists only in this process's memory), never in plaintext between requests.
 */
import { createHash } from "node:crypto";
import {
  createValue,
  evaluateEnvironment,
  type Diagnostic,
  type EnvironmentLoader,
  type EvaluateOptions,
  type EvaluationResult,
  type ProviderRegistry,
  type Value,
  type ValueKind,
} from "../../esc/index.js";
import { createMemorySealer, type Sealed } from "./memory-seal.js";

export interface EvaluationCache {
  /** `evaluateEnvironment`, answered from the cache when the definition and its imports are unchanged. */
  evaluate(definition: string, options: EvaluateOptions): Promise<EvaluationResult>;
}

export interface EvaluationCacheOptions {
  /** Entries kept (least recently used dropped first). Default 1000. */
  readonly maxEntries?: number;
  /** The evaluator; default `evaluateEnvironment` (tests count calls). */
  readonly evaluate?: (definition: string, options: EvaluateOptions) => Promise<EvaluationResult>;
}

interface Load {
  readonly name: string;
  readonly version: string | undefined;
  readonly hash: string;
}

interface Entry extends Sealed {
  readonly loads: readonly Load[];
}

/** A value without its trace, in JSON: {k: kind, v: value, s: secret, u: unknown}. */
interface PlainValue {
  readonly k: ValueKind;
  readonly v: null | boolean | string | PlainValue[] | { [key: string]: PlainValue };
  readonly s?: 1;
  readonly u?: 1;
}

export function createEvaluationCache(options: EvaluationCacheOptions = {}): EvaluationCache {
  const max = options.maxEntries ?? 1000;
  const evaluate = options.evaluate ?? evaluateEnvironment;
  const sealer = createMemorySealer();
  const entries = new Map<string, Entry>();

  async function unchanged(loads: readonly Load[], loader: EnvironmentLoader): Promise<boolean> {
    try {
      const now = await Promise.all(loads.map((l) => loader.load(l.name, l.version)));
      return now.every((loaded, i) => hashOf(loaded.yaml) === loads[i]?.hash);
    } catch {
      return false; // an import gone, retracted or refused: evaluate for the exact diagnostics
    }
  }

  return {
    async evaluate(definition, evalOptions) {
      const loader = evalOptions.loader;
      if (evalOptions.mode !== "open" || loader === undefined) return evaluate(definition, evalOptions);
      const id = hashOf(`${evalOptions.name ?? ""}\0${JSON.stringify(evalOptions.context ?? null)}\0${definition}`);
      const hit = entries.get(id);
      if (hit !== undefined && (await unchanged(hit.loads, loader))) {
        entries.delete(id); // most recently used goes last
        entries.set(id, hit);
        return fromJson(sealer.open(hit).toString("utf8"));
      }

      const loads: Load[] = [];
      let providerUsed = false;
      const recording: EnvironmentLoader = {
        async load(name, version) {
          const loaded = await loader.load(name, version);
          loads.push({ name, version, hash: hashOf(loaded.yaml) });
          return loaded;
        },
      };
      const providers = evalOptions.providers;
      const watched: ProviderRegistry | undefined =
        providers === undefined
          ? undefined
          : {
              provider: (name) => ((providerUsed = true), providers.provider(name)),
              rotator: (name) => ((providerUsed = true), providers.rotator(name)),
            };
      const result = await evaluate(definition, { ...evalOptions, loader: recording, ...(watched === undefined ? {} : { providers: watched }) });
      const cacheable = !providerUsed && result.patches.length === 0 && !result.diagnostics.some((d) => d.severity === "error");
      if (cacheable) {
        if (entries.size >= max) entries.delete(entries.keys().next().value as string);
        entries.set(id, { loads, ...sealer.seal(Buffer.from(toJson(result), "utf8")) });
      } else {
        entries.delete(id);
      }
      return result;
    },
  };
}

function hashOf(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("base64");
}

function toJson(result: EvaluationResult): string {
  const value = result.environment === null ? null : plainOf(result.environment.value);
  return JSON.stringify({ value, diagnostics: result.diagnostics });
}

function fromJson(text: string): EvaluationResult {
  const parsed = JSON.parse(text) as { value: PlainValue | null; diagnostics: Diagnostic[] };
  const value = parsed.value === null ? null : valueOf(parsed.value);
  const properties = value !== null && value.kind === "object" ? (value.value as Record<string, Value>) : {};
  // Only `value` and `properties` are kept: the open path reads nothing else of the environment.
  return { environment: value === null ? null : { value, properties, executionContext: { properties: {} } }, diagnostics: parsed.diagnostics, patches: [] };
}

function plainOf(v: Value): PlainValue {
  const inner = v.value;
  const converted: PlainValue["v"] = Array.isArray(inner)
    ? inner.map(plainOf)
    : inner !== null && typeof inner === "object"
      ? Object.fromEntries(Object.entries(inner as Record<string, Value>).map(([k, x]) => [k, plainOf(x)]))
      : (inner as null | boolean | string);
  return { k: v.kind, v: converted, ...(v.secret ? { s: 1 as const } : {}), ...(v.unknown ? { u: 1 as const } : {}) };
}

function valueOf(p: PlainValue): Value {
  const inner = p.v;
  const converted: Value["value"] = Array.isArray(inner)
    ? inner.map(valueOf)
    : inner !== null && typeof inner === "object"
      ? Object.fromEntries(Object.entries(inner).map(([k, x]) => [k, valueOf(x)]))
      : inner;
  return createValue(p.k, converted, { secret: p.s === 1, unknown: p.u === 1 });
}
