import { Code, createContextValues, createHandlerContext } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { OrganizationService } from "../../gen/openesc/v1/organization_pb.js";
import { createServerMetrics } from "../metrics/server-metrics.js";
import { callDetailsOf } from "./call-context.js";
import { codeName, createCallHooks, traceKey } from "./call-hooks.js";

function context(traceparent?: string) {
  const method = OrganizationService.method.listOrganizations;
  return createHandlerContext({
    service: OrganizationService,
    method,
    protocolName: "connect",
    requestMethod: "POST",
    url: "/x",
    requestHeader: traceparent === undefined ? {} : { traceparent },
    contextValues: createContextValues(),
  });
}

describe("createCallHooks()", () => {
  it("records the call and each provider call it made, by provider and outcome", async () => {
    const metrics = createServerMetrics({ version: "test", processMetrics: false });
    const hooks = createCallHooks({ metrics });
    const ctx = context();
    hooks.begin(ctx);
    callDetailsOf(ctx).providerCalls.push({ provider: "aws-login", path: "acme/app/prod:aws", durationMs: 250, outcome: "ok" });
    callDetailsOf(ctx).providerCalls.push({ provider: "vault", path: "acme/app/prod:v", durationMs: 5, outcome: "unavailable: connection refused" });
    hooks.end(OrganizationService.method.listOrganizations, ctx, Code.PermissionDenied, 12);
    const { body } = await metrics.render();
    expect(body).toContain('openesc_rpc_requests_total{service="openesc.v1.OrganizationService",method="ListOrganizations",code="permission_denied"} 1');
    expect(body).toContain('openesc_provider_call_duration_seconds_sum{provider="aws-login",outcome="ok"} 0.25');
    expect(body).toContain('openesc_provider_call_duration_seconds_count{provider="vault",outcome="error"} 1');
    // The outcome's reason and the path never become labels.
    expect(body).not.toContain("connection refused");
    expect(body).not.toContain("acme");
  });

  it("gives the log the trace of the call and echoes traceparent", () => {
    const hooks = createCallHooks({});
    const ctx = context("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    hooks.begin(ctx);
    const trace = ctx.values.get(traceKey);
    expect(hooks.logFields(ctx)).toEqual({ trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", span_id: trace?.spanId });
    expect(ctx.responseHeader.get("traceparent")).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${trace?.spanId}-01`);
  });

  it("caps provider labels: names past 64 distinct ones, or odd ones, count as other", async () => {
    const metrics = createServerMetrics({ version: "test", processMetrics: false });
    for (let i = 0; i < 70; i++) metrics.observeProviderCall(`p${i}`, "ok", 0.001);
    metrics.observeProviderCall("a b{c}", "ok", 0.001);
    const { body } = await metrics.render();
    expect(body).toContain('openesc_provider_call_duration_seconds_count{provider="p63",outcome="ok"} 1');
    expect(body).not.toContain('provider="p64"');
    expect(body).toContain('openesc_provider_call_duration_seconds_count{provider="other",outcome="ok"} 7');
  });
});

describe("codeName()", () => {
  it.each([
    [undefined, "ok"],
    [Code.NotFound, "not_found"],
    [Code.ResourceExhausted, "resource_exhausted"],
    [Code.Internal, "internal"],
  ])("%s → %s", (code, name) => {
    expect(codeName(code)).toBe(name);
  });
});

describe("createServerMetrics() gauges", () => {
  it("drops the open-sessions gauge, not the scrape, while the database fails", async () => {
    let fail = false;
    const metrics = createServerMetrics({ version: "test", processMetrics: false, sources: { openSessions: async () => (fail ? Promise.reject(new Error("db down")) : 3), inflight: () => 2 } });
    expect((await metrics.render()).body).toContain("openesc_open_sessions 3");
    fail = true;
    const { body } = await metrics.render();
    expect(body).not.toContain("openesc_open_sessions 3");
    expect(body).toContain("openesc_rpc_in_flight 2");
  });
});
