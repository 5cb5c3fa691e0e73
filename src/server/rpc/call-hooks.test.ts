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
