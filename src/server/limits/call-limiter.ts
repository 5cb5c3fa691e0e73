import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { callInfoKey, principalKey } from "../rpc/call-context.js";
import { createRateLimiter, type Rate } from "./rate-limiter.js";

/** Admits or refuses one call before its handler runs. */
export interface CallLimiter {
  /**
   * Takes a token from the caller's bucket: the authenticated identity's, or for calls without one
   * (health, reflection) the peer address's. Throws ResourceExhausted with a RetryInfo detail and a
   * `retry-after` header when the bucket is empty.
   */
  admit(ctx: HandlerContext): void;
}

export interface CallLimiterOptions {
  /** Per authenticated identity (all its tokens share it); undefined: unlimited. */
  readonly identity?: Rate;
  /** Per peer IP address, for calls that carry no identity; undefined: unlimited. */
  readonly peer?: Rate;
  /** Told about each refusal (metrics). */
  readonly onLimited?: (scope: "identity" | "peer") => void;
  /** Milliseconds, monotonic (tests). */
  readonly now?: () => number;
}

/** Creates the limiter; with neither rate set it admits everything at no cost. */
export function createCallLimiter(options: CallLimiterOptions): CallLimiter {
  const byIdentity = options.identity === undefined ? undefined : createRateLimiter({ rate: options.identity, now: options.now });
  const byPeer = options.peer === undefined ? undefined : createRateLimiter({ rate: options.peer, now: options.now });
  return {
    admit(ctx) {
      const principal = ctx.values.get(principalKey);
      const scope = principal === undefined ? "peer" : "identity";
      const limiter = principal === undefined ? byPeer : byIdentity;
      if (limiter === undefined) return;
      const key = principal === undefined ? peerAddress(ctx.values.get(callInfoKey)?.peer ?? "") : principal.identityId;
      const verdict = limiter.take(key);
      if (verdict.ok) return;
      options.onLimited?.(scope);
      ctx.responseHeader.set("retry-after", String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))));
      const error = new ConnectError(
        `rate limit exceeded for this ${scope === "identity" ? "identity" : "address"}: retry in ${(verdict.retryAfterMs / 1000).toFixed(3)} s`,
        Code.ResourceExhausted,
      );
      // An already-encoded detail: google.rpc.RetryInfo is not among the generated messages.
      error.details.push({ type: "google.rpc.RetryInfo", value: retryInfo(verdict.retryAfterMs) });
      throw error;
    },
  };
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
