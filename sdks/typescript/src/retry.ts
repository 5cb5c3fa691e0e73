import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";

/** How calls without side effects are retried. */
export interface RetryOptions {
  /** Attempts in total, the first included (default 3; 1 turns retries off). */
  readonly maxAttempts?: number;
  /** The first back-off in milliseconds, doubled after each attempt (default 100). */
  readonly initialBackoffMs?: number;
  /** The longest back-off in milliseconds (default 2000). */
  readonly maxBackoffMs?: number;
}

// Only these codes say the request did not take effect and may succeed later.
const RETRYABLE = new Set<Code>([Code.Unavailable, Code.ResourceExhausted]);

/**
 * Retries unary calls to methods declared `idempotency_level = NO_SIDE_EFFECTS` in the contract,
 * with exponential back-off and full jitter, within the call's own time-out and AbortSignal.
 * Methods with side effects are never retried: a second CreateEnvironment could create twice.
 */
export function createRetryInterceptor(options: RetryOptions = {}): Interceptor {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const initial = options.initialBackoffMs ?? 100;
  const max = options.maxBackoffMs ?? 2000;
  return (next) => async (req) => {
    if (req.stream || req.method.idempotency !== MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS) return next(req);
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(req);
      } catch (e) {
        const error = ConnectError.from(e);
        if (attempt >= maxAttempts || !RETRYABLE.has(error.code) || req.signal.aborted) throw e;
        await sleep(Math.random() * Math.min(max, initial * 2 ** (attempt - 1)), req.signal);
      }
    }
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
