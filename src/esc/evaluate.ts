import { errorAt, hasErrors, type Diagnostic, type Location } from "./diagnostic.js";
import { evaluateEnv } from "./evaluator.js";
import type { Decrypter, EnvironmentLoader, EvalMode, ExecutionContext, ProviderRegistry, RotationPatch } from "./interfaces.js";
import { resolveLimits, type Limits } from "./limits.js";
import { parseDefinition, type ParsedDefinition } from "./parse-declaration.js";
import { prefetch } from "./prefetch.js";
import { exportValue, type Value } from "./public-value.js";
import { createAsyncMemo, type EnvResult, type Session } from "./session.js";

/** Options of {@link evaluateEnvironment}. */
export interface EvaluateOptions {
  /** The root environment's name (used in ranges and `context.currentEnvironment.name`). Default `<yaml>`. */
  readonly name?: string;
  /** Evaluation mode (§14). Default `open`. */
  readonly mode?: EvalMode;
  /** Loads imported and inline-referenced environments. Default: every import is "not found". */
  readonly loader?: EnvironmentLoader;
  /** Decrypts ciphertext of environments whose loader gave no decrypter, and of the root. */
  readonly decrypter?: Decrypter;
  /** Providers and rotators. Default: none (every call reports `unknown provider`). */
  readonly providers?: ProviderRegistry;
  /** The host's execution context (§15). Default `{}`. */
  readonly context?: ExecutionContext;
  /** In check mode, decrypt ciphertext (`--show-secrets`). Default false. */
  readonly showSecrets?: boolean;
  /** In rotate mode, the rotator paths to rotate (without `values.`); default all. */
  readonly rotatePaths?: readonly string[];
  /** Bounds; defaults in {@link DEFAULT_LIMITS}. */
  readonly limits?: Partial<Limits>;
}

/** An evaluated environment (§17.1). */
export interface EnvironmentResult {
  /** The top-level values (merged with imports) as one object value. */
  readonly value: Value;
  /** The same values by key. */
  readonly properties: Readonly<Record<string, Value>>;
  /** The root environment's execution context, with `currentEnvironment` and `rootEnvironment`. */
  readonly executionContext: { readonly properties: Readonly<Record<string, Value>> };
}

/** The outcome of an evaluation. Never throws for any user input. */
export interface EvaluationResult {
  /** The environment; null when there is none (empty definition, YAML or root errors). */
  readonly environment: EnvironmentResult | null;
  /** Parse diagnostics of the root first, then evaluation diagnostics. */
  readonly diagnostics: readonly Diagnostic[];
  /** Rotation patches (rotate mode only). */
  readonly patches: readonly RotationPatch[];
}

const MAX_ROUNDS = 1000;

/**
 * Evaluates a definition (esc-language.md §3–§17): loads imports concurrently, runs the evaluation, and repeats it
 * while provider calls or decryptions it started are pending, all started calls running concurrently.
 */
export async function evaluateEnvironment(yaml: string | Uint8Array, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const limits = resolveLimits(options.limits);
  const name = options.name ?? "<yaml>";
  const text = typeof yaml === "string" ? yaml : new TextDecoder().decode(yaml);
  const controller = new AbortController();
  const deadline = Date.now() + limits.maxEvaluationMs;
  const timer = setTimeout(() => controller.abort(), limits.maxEvaluationMs);
  try {
    const parsed = parseDefinition(text, name, limits);
    if (!parsed.declaration) return { environment: null, diagnostics: parsed.diagnostics, patches: [] };
    const parseCache = new Map<string, ParsedDefinition>();
    const fetched = await withDeadline(prefetch(parsed.declaration, name, options.loader, limits, parseCache), controller.signal);
    if (!fetched) return { environment: null, diagnostics: [...parsed.diagnostics, timeoutDiag(limits)], patches: [] };
    const memo = createAsyncMemo();
    for (let round = 0; ; round++) {
      const session: Session = {
        mode: options.mode ?? "open",
        showSecrets: options.showSecrets ?? false,
        rootName: name,
        limits,
        ...(options.providers ? { registry: options.providers } : {}),
        ...(options.decrypter ? { decrypter: options.decrypter } : {}),
        hostContext: options.context ?? {},
        ...(options.rotatePaths ? { rotatePaths: new Set(options.rotatePaths.map((p) => `values.${p}`)) } : {}),
        diagnostics: [],
        memo,
        fetched,
        parseCache,
        envCache: new Map(),
        evaluating: new Set([name]),
        patches: [],
        deadline,
        signal: controller.signal,
        counters: { values: 0, timedOut: false, valuesExceeded: false, pending: 0 },
      };
      const load = createLoad(session);
      const root = evaluateEnv(session, { name, declaration: parsed.declaration, isRoot: true, depth: 0, rootName: name, load });
      const started = memo.takeStarted();
      const done = session.counters.pending === 0 || started.length === 0 || round >= MAX_ROUNDS;
      if (!done && (await withDeadline(Promise.all(started), controller.signal)) !== undefined) continue;
      const diagnostics = [...parsed.diagnostics, ...session.diagnostics];
      if (!done && !session.counters.timedOut) diagnostics.push(timeoutDiag(limits));
      return { environment: toResult(root), diagnostics, patches: session.patches };
    }
  } catch (e) {
    return { environment: null, diagnostics: [errorAt(undefined, `internal error: ${e instanceof Error ? e.message : String(e)}`)], patches: [] };
  } finally {
    clearTimeout(timer);
  }
}

function timeoutDiag(limits: Limits): Diagnostic {
  return errorAt(undefined, `evaluation exceeded the time limit of ${limits.maxEvaluationMs} ms`);
}

async function withDeadline<T>(p: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return undefined;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<undefined>((resolve) => { onAbort = () => resolve(undefined); signal.addEventListener("abort", onAbort); });
  try {
    return await Promise.race([p, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}

function toResult(root: EnvResult): EnvironmentResult | null {
  if (!root.value) return null;
  const value = exportValue(root.value);
  const ctx = exportValue(root.context);
  return {
    value,
    properties: value.value as Record<string, Value>,
    executionContext: { properties: ctx.value as Record<string, Value> },
  };
}

function createLoad(session: Session) {
  const error = (loc: Location, s: string): void => { session.diagnostics.push(errorAt(loc, s)); };
  const load = (name: string, loc: Location, depth: number, rootName: string): EnvResult | undefined => {
    if (session.evaluating.has(name)) { error(loc, `cyclic import of ${name}`); return undefined; }
    const cached = session.envCache.get(name);
    if (cached) return cached;
    const { limits } = session;
    if (depth > limits.maxImportDepth) { error(loc, `imports are nested more than ${limits.maxImportDepth} levels deep`); return undefined; }
    const f = session.fetched.get(name);
    if (!f) { error(loc, `too many imported environments (more than ${limits.maxImports})`); return undefined; }
    if ("error" in f) { error(loc, f.error); return undefined; }
    let parsed = session.parseCache.get(name);
    if (!parsed) { parsed = parseDefinition(f.text, name, limits); session.parseCache.set(name, parsed); }
    session.diagnostics.push(...parsed.diagnostics);
    if (hasErrors(parsed.diagnostics) || !parsed.declaration) return undefined;
    session.evaluating.add(name);
    let r: EnvResult;
    try {
      r = evaluateEnv(session, { name, declaration: parsed.declaration, isRoot: false, depth, rootName, ...(f.decrypter ? { decrypter: f.decrypter } : {}), load });
    } finally {
      session.evaluating.delete(name);
    }
    session.envCache.set(name, r);
    return r;
  };
  return load;
}
