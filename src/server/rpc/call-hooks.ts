import { Code, createContextKey, type HandlerContext } from "@connectrpc/connect";
import type { DescMethod } from "@bufbuild/protobuf";
import type { CallLimiter } from "../limits/call-limiter.js";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import { callDetailsKey } from "./call-context.js";
import { refuseNulText } from "./request-text.js";
import { formatTraceparent, traceContextFrom, type TraceContext } from "./trace-context.js";

/** The call's trace context, set by `CallHooks.begin`. */
export const traceKey = createContextKey<TraceContext | undefined>(undefined, { description: "openesc trace context" });

/**
 * The operational side of every RPC, called by the pipeline: trace context, rate limits, the U+0000
 * rule, metrics. Kept out of pipeline.ts so that the pipeline reads as the request's path.
 */
export interface CallHooks {
  /** First thing: continues or starts the W3C trace and echoes `traceparent`. Never throws. */
  begin(ctx: HandlerContext): void;
  /** Before authentication: throws ResourceExhausted for an address that failed authentication too often. */
  screen(ctx: HandlerContext): void;
  /**
   * After authentication, before the handler: throws ResourceExhausted past a rate limit, and
   * InvalidArgument for text holding U+0000 (request-text.ts). Synchronous but for a cluster
   * worker's rare wait for a rate-limit lease: then a Promise to await.
   */
  admit(ctx: HandlerContext, input: unknown): Promise<void> | undefined;
  /** Fields every log line of the call carries (`trace_id`, `span_id`). */
  logFields(ctx: HandlerContext): Readonly<Record<string, string>>;
  /** Last thing: RPC and provider metrics. `code` is the Connect code, undefined for success. */
  end(method: DescMethod, ctx: HandlerContext, code: Code | undefined, durationMs: number): void;
}

export interface CallHooksOptions {
  readonly metrics?: ServerMetrics;
  readonly limiter?: CallLimiter;
}

/** Creates the hooks; each part is skipped when its option is absent. */
export function createCallHooks(options: CallHooksOptions): CallHooks {
  const { metrics, limiter } = options;
  return {
    begin(ctx) {
      const trace = traceContextFrom(ctx.requestHeader.get("traceparent"));
      ctx.values.set(traceKey, trace);
      ctx.responseHeader.set("traceparent", formatTraceparent(trace));
    },
    screen(ctx) {
      limiter?.screen(ctx);
    },
    admit(ctx, input) {
      const waiting = limiter?.admit(ctx);
      if (waiting !== undefined) return waiting.then(() => refuseNulText(input));
      refuseNulText(input);
      return undefined;
    },
    logFields: traceLogFields,
    end(method, ctx, code, durationMs) {
      if (code === Code.Unauthenticated) limiter?.authenticationFailed(ctx);
      if (metrics === undefined) return;
      metrics.observeRpc(method.parent.typeName, method.name, codeName(code), durationMs / 1000);
      for (const call of ctx.values.get(callDetailsKey)?.providerCalls ?? []) {
        metrics.observeProviderCall(call.provider, call.outcome, call.durationMs / 1000);
      }
    },
  };
}

const NO_FIELDS: Readonly<Record<string, string>> = {};

/** `trace_id` and `span_id` of the call, for any log line written while serving it (none before `begin`). */
export function traceLogFields(ctx: HandlerContext): Readonly<Record<string, string>> {
  const trace = ctx.values.get(traceKey);
  return trace === undefined ? NO_FIELDS : { trace_id: trace.traceId, span_id: trace.spanId };
}

/** Connect's wire names: `ok`, `not_found`, `resource_exhausted`, … */
export function codeName(code: Code | undefined): string {
  if (code === undefined) return "ok";
  const name = Code[code] as string | undefined;
  return name === undefined ? String(code) : name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? "" : "_") + c.toLowerCase());
}
