import type { EscValue } from "./value.js";

/** What a secret prints as, everywhere, until it is revealed. */
export const REDACTED = "[secret]";

// Node's util.inspect hook, by its registered symbol, so that this module imports nothing from node:.
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/**
 * A secret value. It prints as `[secret]` through `String()`, template literals, `JSON.stringify`,
 * `console.log` and `util.inspect`, so that logging a value never leaks it; `reveal()` returns the
 * plaintext. The plaintext lives in a private field, invisible to enumeration and spreading.
 */
export class Secret<T = unknown> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  /** The plaintext value (nested secrets inside it are revealed too). */
  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspectCustom](): string {
    return REDACTED;
  }
}

/** True when `value` is a Secret. */
export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}

/** JSON-like data with no Secret in it: what `reveal` returns for an evaluated value. */
export type PlainValue = null | boolean | number | string | PlainValue[] | { [key: string]: PlainValue };

/**
 * Returns a copy of `value` with every Secret in it replaced by its plaintext, at any depth:
 * `reveal(env.get("db.password"))`, `{ ...process.env, ...reveal(env.environmentVariables) }`.
 */
export function reveal<T>(value: Secret<T>): T;
export function reveal(value: Readonly<Record<string, string | Secret<string>>>): Record<string, string>;
export function reveal(value: EscValue): PlainValue;
export function reveal(value: EscValue | undefined): PlainValue | undefined;
export function reveal(value: unknown): unknown;
export function reveal(value: unknown): unknown {
  return revealAny(value);
}

function revealAny(value: unknown): unknown {
  if (value instanceof Secret) return revealAny(value.reveal());
  if (Array.isArray(value)) return value.map(revealAny);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = revealAny(v);
    return out;
  }
  return value;
}
