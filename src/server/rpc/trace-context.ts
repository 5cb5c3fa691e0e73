import { randomFillSync } from "node:crypto";

/**
 * A W3C Trace Context (https://www.w3.org/TR/trace-context/) for one RPC: the caller's trace id
 * (or a new one), a fresh span id for this server span, and the caller's span as parent.
 */
export interface TraceContext {
  /** 32 lower-case hex digits, never all zero. */
  readonly traceId: string;
  /** This call's span: 16 lower-case hex digits, never all zero. */
  readonly spanId: string;
  /** The caller's span id, when the request carried a valid `traceparent`. */
  readonly parentSpanId?: string;
  /** The trace flags byte, two hex digits (`01` = sampled). */
  readonly flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

/**
 * Continues the trace of a `traceparent` header, or starts a new one when it is absent or invalid
 * (the spec says to ignore, not reject, a malformed header). Version `ff` is invalid; future versions
 * are read by their first four fields, as the spec asks.
 */
export function traceContextFrom(traceparent: string | null | undefined): TraceContext {
  const spanId = newId(8);
  const m = traceparent === null || traceparent === undefined || traceparent.length > 512 ? null : TRACEPARENT.exec(traceparent.trim());
  if (m !== null) {
    const [, version, traceId, parentSpanId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
    const valid = version !== "ff" && traceId !== ZERO_TRACE && parentSpanId !== ZERO_SPAN && (version !== "00" || rest === undefined);
    if (valid) return { traceId, spanId, parentSpanId, flags };
  }
  return { traceId: newId(16), spanId, flags: "00" };
}

/** The `traceparent` value naming this call's span, for the response and downstream calls. */
export function formatTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}

// Ids come from a pooled buffer of random bytes: one getrandom call per 4 KiB instead of two per request.
const pool = Buffer.alloc(4096);
let used = pool.length;

function newId(bytes: number): string {
  for (;;) {
    if (used + bytes > pool.length) {
      randomFillSync(pool);
      used = 0;
    }
    const id = pool.toString("hex", used, used + bytes);
    used += bytes;
    if (!/^0+$/.test(id)) return id;
  }
}
