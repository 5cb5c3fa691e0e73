/** A rate: `burst` calls at once, refilled at `perSecond` calls a second. */
export interface Rate {
  readonly perSecond: number;
  readonly burst: number;
}

/** The verdict on one call. */
export type Admission = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

/**
 * Token buckets by key as the call limiter uses them: this process's own (below), or a cluster
 * worker's share of its replica's buckets (leased-buckets.ts).
 */
export interface TokenBuckets {
  /** Takes one token from `key`'s bucket; a Promise only when the verdict must wait (a worker's lease reply). */
  take(key: string): Admission | Promise<Admission>;
  /** The verdict `take` would give now, without taking a token or waiting (a new key's bucket is full). */
  check(key: string): Admission;
}

/** What the primary of `serve --workers N` grants a worker that asks for tokens (leased-buckets.ts). */
export interface Grant {
  /** Tokens taken from the bucket for the worker: 0 up to what it asked for. */
  readonly granted: number;
  /** 0 while the bucket still holds a whole token after the grant; else the wait until it does. */
  readonly retryAfterMs: number;
}

/** Token buckets by key (an identity, a peer address), in this process. */
export interface RateLimiter extends TokenBuckets {
  take(key: string): Admission;
  /** Takes up to `want` whole tokens at once (a worker's lease). */
  lease(key: string, want: number): Grant;
  /** Puts back tokens a lease did not use (never past the burst). */
  giveBack(key: string, tokens: number): void;
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

const ADMITTED: Admission = { ok: true };

/** Creates a keyed token-bucket limiter. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { perSecond, burst } = options.rate;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? (() => performance.now());
  // A Map iterates in insertion order: deleting and re-inserting on use keeps it an LRU.
  const buckets = new Map<string, Bucket>();
  const waitMs = (tokens: number) => Math.ceil(((1 - tokens) * 1000) / perSecond);
  // The key's bucket, refilled up to now and made the most recently used.
  const refilled = (key: string): Bucket => {
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
    return bucket;
  };
  return {
    take(key) {
      const bucket = refilled(key);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return ADMITTED;
      }
      return { ok: false, retryAfterMs: waitMs(bucket.tokens) };
    },
    check(key) {
      const bucket = buckets.get(key);
      const tokens = bucket === undefined ? burst : Math.min(burst, bucket.tokens + ((now() - bucket.at) * perSecond) / 1000);
      return tokens >= 1 ? ADMITTED : { ok: false, retryAfterMs: waitMs(tokens) };
    },
    lease(key, want) {
      const bucket = refilled(key);
      const granted = Math.max(0, Math.min(Math.floor(want), Math.floor(bucket.tokens)));
      bucket.tokens -= granted;
      return { granted, retryAfterMs: bucket.tokens >= 1 ? 0 : waitMs(bucket.tokens) };
    },
    giveBack(key, tokens) {
      // A forgotten key starts again full: nothing to give back to.
      if (tokens <= 0 || !buckets.has(key)) return;
      const bucket = refilled(key);
      bucket.tokens = Math.min(burst, bucket.tokens + tokens);
    },
    size: () => buckets.size,
  };
}
