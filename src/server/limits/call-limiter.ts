import { createHash } from "node:crypto";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { callInfoKey, principalKey } from "../rpc/call-context.js";
import { createRateLimiter, type Rate, type RateLimiter } from "./rate-limiter.js";

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
   * RetryInfo detail and a `retry-after` header when the bucket is empty.
   */
  admit(ctx: HandlerContext): void;
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
}

/** How many authenticated credentials are remembered (their SHA-256), least recently used first out. */
const MAX_KNOWN_CREDENTIALS = 10_000;

/** Creates the limiter; with neither rate set it admits everything at no cost. */
export function createCallLimiter(options: CallLimiterOptions): CallLimiter {
  const now = options.now;
  const byIdentity = options.identity === undefined ? undefined : createRateLimiter({ rate: options.identity, now });
  const byPeer = options.peer === undefined ? undefined : createRateLimiter({ rate: options.peer, now });
  const failures = options.peer === undefined ? undefined : createRateLimiter({ rate: options.peer, now });
  const known = new Map<string, true>();
  const refuse = (ctx: HandlerContext, scope: "identity" | "peer", what: string, retryAfterMs: number): never => {
    options.onLimited?.(scope);
    ctx.responseHeader.set("retry-after", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    const error = new ConnectError(`${what}: retry in ${(retryAfterMs / 1000).toFixed(3)} s`, Code.ResourceExhausted);
    // An already-encoded detail: google.rpc.RetryInfo is not among the generated messages.
    error.details.push({ type: "google.rpc.RetryInfo", value: retryInfo(retryAfterMs) });
    throw error;
  };
  return {
    screen(ctx) {
      if (failures === undefined) return;
      const peer = peerOf(ctx);
      if (failures.available(peer)) return;
      const authorization = ctx.requestHeader.get("authorization");
      if (authorization !== null && known.has(digest(authorization))) return;
      const verdict = failures.take(peer);
      if (!verdict.ok) refuse(ctx, "peer", "too many failed authentications from this address", verdict.retryAfterMs);
    },
    admit(ctx) {
      const principal = ctx.values.get(principalKey);
      if (principal !== undefined && failures !== undefined) remember(known, ctx.requestHeader.get("authorization"));
      const limiter = principal === undefined ? byPeer : byIdentity;
      if (limiter === undefined) return;
      const verdict = limiter.take(principal === undefined ? peerOf(ctx) : principal.identityId);
      if (verdict.ok) return;
      if (principal === undefined) refuse(ctx, "peer", "rate limit exceeded for this address", verdict.retryAfterMs);
      refuse(ctx, "identity", "rate limit exceeded for this identity", verdict.retryAfterMs);
    },
    authenticationFailed(ctx) {
      failures?.take(peerOf(ctx));
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
