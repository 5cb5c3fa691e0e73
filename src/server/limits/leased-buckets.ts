/**
 * A cluster worker's share of its replica's rate limits (`serve --workers N`). The primary owns the
 * real token buckets (rate-limiter.ts `lease`); each worker holds a small lease of tokens per key,
 * taken from the primary in chunks and asked for ahead of need (when the lease falls under half a
 * chunk), so a call is admitted by a local, synchronous check. A token leaves the primary's bucket
 * when it is leased, so all workers together admit no more than the bucket gives out; the error is
 * in the other direction and bounded: tokens one worker holds are not available to another until
 * they are used or the lease expires and gives them back.
 *
 * A call that finds no local token waits for one lease reply, or is refused at once while the
 * primary last said the bucket is empty (until the wait it named). When the primary does not answer
 * (gone, too slow), the worker judges by a bucket of its own: the limit degrades to per worker
 * rather than blocking calls.
 */
import { createRateLimiter, type Admission, type Grant, type Rate, type TokenBuckets } from "./rate-limiter.js";

/** The way to the primary's buckets for one scope (cluster-worker.ts: node:cluster IPC). */
export interface LeaseChannel {
  /** Asks for up to `want` tokens of `key`'s bucket; undefined when the primary did not answer. Never rejects. */
  request(key: string, want: number): Promise<Grant | undefined>;
  /** Returns tokens a lease did not use. */
  giveBack(key: string, tokens: number): void;
}

export interface LeasedBucketsOptions {
  readonly rate: Rate;
  readonly channel: LeaseChannel;
  /** Unused tokens go back once a key's lease has been idle (no grant, no call) this long. Default 1000 ms. */
  readonly leaseMs?: number;
  /** Keys held at most (least recently used first out, its tokens given back). Default 10,000. */
  readonly maxKeys?: number;
  /** Milliseconds, monotonic (tests). Default `performance.now`. */
  readonly now?: () => number;
}

export interface LeasedBuckets extends TokenBuckets {
  /** Gives back the tokens of idle leases and forgets idle keys (the owner runs it every lease period). */
  expire(): void;
  /** Tokens held now for `key` (tests, diagnostics). */
  held(key: string): number;
  size(): number;
}

/** Tokens a worker asks for at once: 5 % of the burst, at least 1 (the bound on what a worker holds). */
export function leaseChunk(rate: Rate): number {
  return Math.max(1, Math.floor(rate.burst / 20));
}

interface Lease {
  tokens: number;
  expiresAt: number;
  /** A request is on its way to the primary. */
  pending: boolean;
  /** Calls waiting for the reply, in arrival order. */
  readonly waiters: ((verdict: Admission) => void)[];
  /**
   * The primary said the bucket is empty: until then calls with no local token are refused at once.
   * At most a lease period, so that tokens other workers give back are found again.
   */
  emptyUntil: number;
  /** When the primary's bucket holds a token again (the refusal's retry hint; `check` refuses until then). */
  retryAt: number;
  /** The primary did not answer: until then calls are judged by the worker's own bucket, without asking. */
  aloneUntil: number;
  /** Forgotten (key cap): a late grant goes back to the primary. */
  dropped: boolean;
}

const ADMITTED: Admission = { ok: true };

export function createLeasedBuckets(options: LeasedBucketsOptions): LeasedBuckets {
  const { channel } = options;
  const chunk = leaseChunk(options.rate);
  const leaseMs = options.leaseMs ?? 1000;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? (() => performance.now());
  // Used only while the primary does not answer.
  const fallback = createRateLimiter({ rate: options.rate, maxKeys, now });
  const leases = new Map<string, Lease>();

  const giveBack = (key: string, lease: Lease) => {
    if (lease.tokens > 0) channel.giveBack(key, lease.tokens);
    lease.tokens = 0;
  };

  // The key's lease, made the most recently used.
  function touch(key: string): Lease {
    let lease = leases.get(key);
    if (lease === undefined) {
      lease = { tokens: 0, expiresAt: 0, pending: false, waiters: [], emptyUntil: 0, retryAt: 0, aloneUntil: 0, dropped: false };
      if (leases.size >= maxKeys) {
        const [oldKey, old] = leases.entries().next().value as [string, Lease];
        leases.delete(oldKey);
        old.dropped = true;
        if (!old.pending) giveBack(oldKey, old);
      }
    } else {
      leases.delete(key);
    }
    leases.set(key, lease);
    return lease;
  }

  function ask(key: string, lease: Lease, want: number): void {
    lease.pending = true;
    void channel.request(key, want).then((grant) => settle(key, lease, grant));
  }

  function settle(key: string, lease: Lease, grant: Grant | undefined): void {
    lease.pending = false;
    const t = now();
    if (grant === undefined) {
      lease.aloneUntil = t + leaseMs;
      for (const wake of lease.waiters.splice(0)) wake(fallback.take(key));
      return;
    }
    lease.tokens += grant.granted;
    if (grant.granted > 0) lease.expiresAt = t + leaseMs;
    while (lease.waiters.length > 0 && lease.tokens >= 1) {
      lease.tokens -= 1;
      (lease.waiters.shift() as (verdict: Admission) => void)(ADMITTED);
    }
    if (grant.retryAfterMs > 0) {
      lease.emptyUntil = t + Math.min(grant.retryAfterMs, leaseMs);
      lease.retryAt = t + grant.retryAfterMs;
      const refused: Admission = { ok: false, retryAfterMs: grant.retryAfterMs };
      for (const wake of lease.waiters.splice(0)) wake(refused);
    } else if (lease.waiters.length > 0) {
      // More calls arrived than the request was sized for, and the bucket has more.
      ask(key, lease, Math.max(chunk, lease.waiters.length));
      return;
    } else if (lease.tokens < chunk / 2 && !lease.dropped) {
      ask(key, lease, chunk);
      return;
    }
    if (lease.dropped) giveBack(key, lease);
  }

  return {
    take(key) {
      const t = now();
      const lease = touch(key);
      if (lease.tokens > 0 && lease.expiresAt <= t) giveBack(key, lease);
      if (lease.tokens >= 1) {
        lease.tokens -= 1;
        // A lease in use is not idle: only an idle worker's tokens go back.
        lease.expiresAt = t + leaseMs;
        if (lease.tokens < chunk / 2 && !lease.pending && lease.emptyUntil <= t) ask(key, lease, chunk);
        return ADMITTED;
      }
      if (lease.emptyUntil > t) return { ok: false, retryAfterMs: Math.ceil(lease.retryAt - t) };
      if (lease.aloneUntil > t) return fallback.take(key);
      return new Promise<Admission>((wake) => {
        lease.waiters.push(wake);
        if (!lease.pending) ask(key, lease, Math.max(chunk, lease.waiters.length));
      });
    },

    check(key) {
      const lease = leases.get(key);
      if (lease === undefined) return ADMITTED;
      const t = now();
      if (lease.tokens >= 1 && lease.expiresAt > t) return ADMITTED;
      // Until the primary's own wait has passed: this screens failed authentications, where refusing
      // a little long is the safe side.
      return lease.retryAt > t ? { ok: false, retryAfterMs: Math.ceil(lease.retryAt - t) } : ADMITTED;
    },

    expire() {
      const t = now();
      for (const [key, lease] of leases) {
        if (lease.pending || lease.waiters.length > 0) continue;
        if (lease.tokens > 0 && lease.expiresAt <= t) giveBack(key, lease);
        if (lease.tokens === 0 && lease.retryAt <= t && lease.aloneUntil <= t) leases.delete(key);
      }
    },

    held: (key) => leases.get(key)?.tokens ?? 0,
    size: () => leases.size,
  };
}
