import { createHash } from "node:crypto";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { callInfoKey, principalKey } from "../rpc/call-context.js";
import { createRateLimiter, type Admission, type Rate, type TokenBuckets } from "./rate-limiter.js";

/** Admits or refuses calls by rate: per identity, per address, and per address for failed authentications. */
export interface CallLimiter {
  /**
   * Before authentication: refuses a call from an address that used up its failed-authentication
   * bucket, unless its credentials authenticated before (a valid token keeps working while others
   * from the same address are guessing).
   */
  screen(ctx: HandlerContext): void;
  /**
   * After authentication: takes a token from the caller's bucket: the authenticated identity's, or
   * for calls without one (health, reflection) the address's. Throws ResourceExhausted with a
   * RetryInfo detail and a `retry-after` header when the bucket is empty. Synchronous, except on a
   * cluster worker that has no token of the caller's at hand: then a Promise of the same.
   */
  admit(ctx: HandlerContext): Promise<void> | undefined;
  /** After a call failed authentication: charges its address's failed-authentication bucket. */
  authenticationFailed(ctx: HandlerContext): void;
}

export interface CallLimiterOptions {
  /** Per authenticated identity (all its tokens share it); undefined: unlimited. */
  readonly identity?: Rate;
  /** Per peer IP address, for calls without an identity and for failed authentications; undefined: unlimited. */
  readonly peer?: Rate;
  /** Told about each refusal (metrics). */
  readonly onLimited?: (scope: "identity" | "peer") => void;
  /** Milliseconds, monotonic (tests). */
  readonly now?: () => number;
  /**
   * Where a scope's buckets live. Default: in this process (rate-limiter.ts); a cluster worker's are
   * leased from its primary, so the limits hold for the replica as a whole (leased-buckets.ts).
   */
  readonly buckets?: (scope: LimitScope, rate: Rate) => TokenBuckets;
}

/** The limiter's buckets: per identity, per address, and per address for failed authentications. */
export type LimitScope = "identity" | "peer" | "failures";

/** How many authenticated credentials are remembered (their SHA-256), least recently used first out. */
const MAX_KNOWN_CREDENTIALS = 10_000;

/** Creates the limiter; with neither rate set it admits everything at no cost. */
export function createCallLimiter(options: CallLimiterOptions): CallLimiter {
  const now = options.now;
  const buckets = options.buckets ?? ((_scope: LimitScope, rate: Rate) => createRateLimiter({ rate, now }));
  const byIdentity = options.identity === undefined ? undefined : buckets("identity", options.identity);
  const byPeer = options.peer === undefined ? undefined : buckets("peer", options.peer);
  const failures = options.peer === undefined ? undefined : buckets("failures", options.peer);
  const known = new Map<string, true>();
  const refuse = (ctx: HandlerContext, scope: "identity" | "peer", what: string, retryAfterMs: number): never => {
    options.onLimited?.(scope);
    ctx.responseHeader.set("retry-after", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    const error = new ConnectError(`${what}: retry in ${(retryAfterMs / 1000).toFixed(3)} s`, Code.ResourceExhausted);
    // An already-encoded detail: google.rpc.RetryInfo is not among the generated messages.
    error.details.push({ type: "google.rpc.RetryInfo", value: retryInfo(retryAfterMs) });
    throw error;
  };
  const judge = (ctx: HandlerContext, anonymous: boolean, verdict: Admission): undefined => {
    if (verdict.ok) return undefined;
    if (anonymous) refuse(ctx, "peer", "rate limit exceeded for this address", verdict.retryAfterMs);
    return refuse(ctx, "identity", "rate limit exceeded for this identity", verdict.retryAfterMs);
  };
  return {
    screen(ctx) {
      if (failures === undefined) return;
      const verdict = failures.check(peerOf(ctx));
      if (verdict.ok) return;
      const authorization = ctx.requestHeader.get("authorization");
      if (authorization !== null && known.has(digest(authorization))) return;
      refuse(ctx, "peer", "too many failed authentications from this address", verdict.retryAfterMs);
    },
    admit(ctx) {
      const principal = ctx.values.get(principalKey);
      if (principal !== undefined && failures !== undefined) remember(known, ctx.requestHeader.get("authorization"));
      const limiter = principal === undefined ? byPeer : byIdentity;
      if (limiter === undefined) return undefined;
      const anonymous = principal === undefined;
      const verdict = limiter.take(anonymous ? peerOf(ctx) : principal.identityId);
      return verdict instanceof Promise ? verdict.then((v) => judge(ctx, anonymous, v)) : judge(ctx, anonymous, verdict);
    },
    authenticationFailed(ctx) {
      // A charge: the verdict does not matter (on a worker it may still be on its way).
      void failures?.take(peerOf(ctx));
    },
  };
}

function remember(known: Map<string, true>, authorization: string | null): void {
  if (authorization === null) return;
  const key = digest(authorization);
  if (known.has(key)) return;
  if (known.size >= MAX_KNOWN_CREDENTIALS) known.delete(known.keys().next().value as string);
  known.set(key, true);
}

// The credential itself is never kept, only its hash.
function digest(text: string): string {
  return createHash("sha256").update(text).digest("base64");
}

function peerOf(ctx: HandlerContext): string {
  return peerAddress(ctx.values.get(callInfoKey)?.peer ?? "");
}

/** The address without its port: `127.0.0.1:5000` → `127.0.0.1`, `[::1]:5000` → `::1`. */
export function peerAddress(peer: string): string {
  const m = /^\[?(.*?)\]?:\d+$/.exec(peer.replace(/^ipv[46]:/, ""));
  return m === null ? peer : (m[1] as string);
}

/** google.rpc.RetryInfo { google.protobuf.Duration retry_delay = 1 } with Duration { seconds = 1; nanos = 2 }. */
function retryInfo(ms: number): Uint8Array {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return new BinaryWriter().tag(1, 2).fork().tag(1, 0).int64(seconds).tag(2, 0).int32(nanos).join().finish();
}
