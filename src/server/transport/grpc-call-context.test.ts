import { getEventListeners } from "node:events";
import { Code, ConnectError, createContextValues } from "@connectrpc/connect";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { createGrpcCallContexts } from "./grpc-call-context.js";
import { GrpcHeaders } from "./grpc-headers.js";

function headersOf(entries: Record<string, string>): GrpcHeaders {
  const headers = new GrpcHeaders();
  for (const [name, value] of Object.entries(entries)) headers.set(name, value);
  return headers;
}

const method = Health.method.check;
const init = (timeoutMs?: number) => ({ method, timeoutMs, requestHeader: headersOf({ authorization: "Bearer x" }), values: createContextValues() });

describe("grpc-js call contexts", () => {
  afterEach(() => vi.useRealTimers());

  it("describe the call like connect's own contexts", () => {
    const ctx = createGrpcCallContexts(new AbortController().signal)(init());
    expect([ctx.service.typeName, ctx.method.name, ctx.protocolName, ctx.requestMethod, ctx.url]).toEqual(["grpc.health.v1.Health", "Check", "grpc", "POST", "/grpc.health.v1.Health/Check"]);
    expect(ctx.requestHeader.get("authorization")).toBe("Bearer x");
    expect(ctx.timeoutMs()).toBeUndefined();
    expect(ctx.signal.aborted).toBe(false);
  });

  it("abort a signal read before or after the abort, with the reason, once", () => {
    const contexts = createGrpcCallContexts(new AbortController().signal);
    const early = contexts(init());
    const signal = early.signal;
    early.abort("client went away");
    early.abort("again");
    expect([signal.aborted, signal.reason]).toEqual([true, "client went away"]);
    const late = contexts(init());
    late.abort("cancelled");
    expect([late.signal.aborted, late.signal.reason]).toEqual([true, "cancelled"]);
  });

  it("time out at the deadline with DeadlineExceeded, unless the call finished first", () => {
    vi.useFakeTimers();
    const contexts = createGrpcCallContexts(new AbortController().signal);
    const slow = contexts(init(1000));
    const quick = contexts(init(1000));
    expect(slow.timeoutMs()).toBe(1000);
    quick.finish();
    vi.advanceTimersByTime(1001);
    expect(slow.signal.aborted).toBe(true);
    expect(ConnectError.from(slow.signal.reason).code).toBe(Code.DeadlineExceeded);
    expect(quick.signal.aborted).toBe(false);
  });

  it("abort the calls in flight on shutdown through one listener, however many calls have run", () => {
    const shutdown = new AbortController();
    const contexts = createGrpcCallContexts(shutdown.signal);
    for (let i = 0; i < 100; i++) contexts(init(60_000)).finish();
    const running = contexts(init());
    const finished = contexts(init());
    finished.finish();
    expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(1);
    shutdown.abort("draining");
    expect([running.signal.aborted, running.signal.reason]).toEqual([true, "draining"]);
    expect(finished.signal.aborted).toBe(false);
    expect(contexts(init()).signal.reason).toBe("draining"); // a call arriving during shutdown
  });
});
