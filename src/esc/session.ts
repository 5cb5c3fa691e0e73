import type { Diagnostic } from "./diagnostic.js";
import type { Decrypter, EvalMode, ExecutionContext, ProviderRegistry, RotationPatch } from "./interfaces.js";
import type { Limits } from "./limits.js";
import type { ParsedDefinition } from "./parse-declaration.js";
import type { EvalValue } from "./value.js";

/** The outcome of one asynchronous operation, as seen by a synchronous evaluation round. */
export type MemoResult = { readonly state: "pending" } | { readonly state: "ok"; readonly value: unknown } | { readonly state: "error"; readonly message: string };

/**
 * Results of provider calls and decryptions, shared by the rounds of one evaluation. A round that meets an operation
 * without a result starts it and reports "pending"; the driver awaits all started operations and runs another round.
 * @private
 */
export interface AsyncMemo {
  get(key: string, start: () => unknown): MemoResult;
  /** Promises of operations started since the last call. */
  takeStarted(): Promise<void>[];
}

/** Creates an {@link AsyncMemo}. */
export function createAsyncMemo(): AsyncMemo {
  const results = new Map<string, MemoResult>();
  let started: Promise<void>[] = [];
  const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
  return {
    get(key, start) {
      const r = results.get(key);
      if (r) return r;
      let out: unknown;
      try {
        out = start();
      } catch (e) {
        const res: MemoResult = { state: "error", message: messageOf(e) };
        results.set(key, res);
        return res;
      }
      // A synchronous answer is used at once: no extra round.
      if (!(out !== null && typeof out === "object" && typeof (out as { then?: unknown }).then === "function")) {
        const res: MemoResult = { state: "ok", value: out };
        results.set(key, res);
        return res;
      }
      results.set(key, { state: "pending" });
      const p = Promise.resolve(out);
      started.push(p.then(
        (value) => { results.set(key, { state: "ok", value }); },
        (e: unknown) => { results.set(key, { state: "error", message: messageOf(e) }); },
      ));
      return { state: "pending" };
    },
    takeStarted() {
      const s = started;
      started = [];
      return s;
    },
  };
}

/** A definition fetched ahead of evaluation: its text, or the loader's error message. @private */
export type Fetched = { readonly text: string; readonly decrypter?: Decrypter } | { readonly error: string };

/** The evaluated form of one environment. @private */
export interface EnvResult {
  /** The root object (values over merged imports); undefined for "no environment" (§2). */
  readonly value?: EvalValue;
  /** The execution context seen by the environment. */
  readonly context: EvalValue;
}

/** State shared by every environment evaluated in one round. @private */
export interface Session {
  readonly mode: EvalMode;
  readonly showSecrets: boolean;
  readonly rootName: string;
  readonly limits: Limits;
  readonly registry?: ProviderRegistry;
  readonly decrypter?: Decrypter;
  readonly hostContext: ExecutionContext;
  /** Document paths (`values.…`) of rotators to rotate; undefined selects all. */
  readonly rotatePaths?: ReadonlySet<string>;
  readonly diagnostics: Diagnostic[];
  readonly memo: AsyncMemo;
  readonly fetched: ReadonlyMap<string, Fetched>;
  readonly parseCache: Map<string, ParsedDefinition>;
  readonly envCache: Map<string, EnvResult>;
  readonly evaluating: Set<string>;
  readonly patches: RotationPatch[];
  readonly deadline: number;
  readonly signal: AbortSignal;
  /** Mutable counters. */
  readonly counters: { values: number; timedOut: boolean; valuesExceeded: boolean; pending: number };
}
