import type { Rate } from "./rate-limiter.js";

/** The server's bounds on what one caller or connection may cost. */
export interface ServerLimits {
  /** Largest request message, all protocols (grpc-js max receive length, connect readMaxBytes). */
  readonly maxRequestBytes: number;
  /** Per authenticated identity; undefined: unlimited. */
  readonly identityRate?: Rate;
  /** Per peer address, for calls without an identity (health, reflection); undefined: unlimited. */
  readonly peerRate?: Rate;
  /** A connection must finish its request headers (or its TLS handshake / protocol preface) this fast. */
  readonly headerTimeoutMs: number;
}

/** The flags that set the limits; each falls back to its `OPENESC_*` variable. */
export interface LimitFlags {
  readonly maxRequestBytes?: string;
  readonly rateLimit?: string;
  readonly rateLimitBurst?: string;
  readonly peerRateLimit?: string;
  readonly headerTimeoutMs?: string;
}

export const DEFAULT_LIMITS = {
  maxRequestBytes: 4 * 1024 * 1024,
  peerRatePerSecond: 50,
  headerTimeoutMs: 10_000,
} as const;

/**
 * Resolves the limits. Defaults: 4 MiB requests, no per-identity limit (set one in production:
 * `--rate-limit`), 50 calls/s per address for calls without an identity, 10 s for request headers.
 * A burst defaults to twice the rate. Throws an Error naming the flag on a bad value.
 */
export function resolveLimits(flags: LimitFlags, env: NodeJS.ProcessEnv): ServerLimits {
  const maxRequestBytes = integer("--max-request-bytes", flags.maxRequestBytes ?? env.OPENESC_MAX_REQUEST_BYTES, DEFAULT_LIMITS.maxRequestBytes, 1024);
  const identity = rate("--rate-limit", flags.rateLimit ?? env.OPENESC_RATE_LIMIT, 0);
  const burst = integer("--rate-limit-burst", flags.rateLimitBurst ?? env.OPENESC_RATE_LIMIT_BURST, Math.max(1, Math.ceil(identity * 2)), 1);
  const peer = rate("--peer-rate-limit", flags.peerRateLimit ?? env.OPENESC_PEER_RATE_LIMIT, DEFAULT_LIMITS.peerRatePerSecond);
  const headerTimeoutMs = integer("--header-timeout-ms", flags.headerTimeoutMs ?? env.OPENESC_HEADER_TIMEOUT_MS, DEFAULT_LIMITS.headerTimeoutMs, 100);
  return {
    maxRequestBytes,
    identityRate: identity === 0 ? undefined : { perSecond: identity, burst },
    peerRate: peer === 0 ? undefined : { perSecond: peer, burst: Math.max(1, Math.ceil(peer * 2)) },
    headerTimeoutMs,
  };
}

/** Calls per second: a decimal ≥ 0 (0.1 is one call every 10 s), 0 meaning unlimited. */
function rate(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(n)) throw new Error(`invalid ${flag} "${text}": expected calls per second, a number ≥ 0`);
  return n;
}

function integer(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new Error(`invalid ${flag} "${text}": expected a whole number ≥ ${min}`);
  }
  return n;
}
