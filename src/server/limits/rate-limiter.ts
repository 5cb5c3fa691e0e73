/** A rate: `burst` calls at once, refilled at `perSecond` calls a second. */
export interface Rate {
  readonly perSecond: number;
  readonly burst: number;
}

/** The verdict on one call. */
export type Admission = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

/** Token buckets by key (an identity, a peer address). */
export interface RateLimiter {
  /** Takes one token from `key`'s bucket; refused with the wait until the next token when empty. */
  take(key: string): Admission;
  /** Whether `key`'s bucket holds a whole token now, without taking it (a new key's does). */
  available(key: string): boolean;
  /** How many keys have a bucket (bounded by `maxKeys`). */
  size(): number;
}

export interface RateLimiterOptions {
  readonly rate: Rate;
  /**
   * At most this many buckets are kept; the least recently used goes first. A forgotten key starts
   * again with a full bucket, so the bound trades a little precision for memory an attacker can't grow.
   * Default 10,000.
   */
  readonly maxKeys?: number;
  /** Milliseconds, monotonic. Default `performance.now`. */
  readonly now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Creates a keyed token-bucket limiter. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { perSecond, burst } = options.rate;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? (() => performance.now());
  // A Map iterates in insertion order: deleting and re-inserting on use keeps it an LRU.
  const buckets = new Map<string, Bucket>();
  return {
    take(key) {
      const t = now();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = { tokens: burst, at: t };
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
      } else {
        buckets.delete(key);
        bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) * perSecond) / 1000);
        bucket.at = t;
      }
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) * 1000) / perSecond) };
    },
    available(key) {
      const bucket = buckets.get(key);
      return bucket === undefined || Math.min(burst, bucket.tokens + ((now() - bucket.at) * perSecond) / 1000) >= 1;
    },
    size: () => buckets.size,
  };
}
