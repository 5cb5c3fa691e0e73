import { describe, expect, it } from "vitest";
import { createServerMetrics } from "./server-metrics.js";

describe("createServerMetrics()", () => {
  it("caps provider labels: names past 64 distinct ones, or odd ones, count as other", async () => {
    const metrics = createServerMetrics({ version: "test", processMetrics: false });
    for (let i = 0; i < 70; i++) metrics.observeProviderCall(`p${i}`, "ok", 0.001);
    metrics.observeProviderCall("a b{c}", "ok", 0.001);
    const { body } = await metrics.render();
    expect(body).toContain('openesc_provider_call_duration_seconds_count{provider="p63",outcome="ok"} 1');
    expect(body).not.toContain('provider="p64"');
    expect(body).toContain('openesc_provider_call_duration_seconds_count{provider="other",outcome="ok"} 7');
  });
  it("drops the open-sessions gauge, not the scrape, while the database fails", async () => {
    let fail = false;
    const metrics = createServerMetrics({ version: "test", processMetrics: false, sources: { openSessions: async () => (fail ? Promise.reject(new Error("db down")) : 3), inflight: () => 2 } });
    expect((await metrics.render()).body).toContain("openesc_open_sessions 3");
    fail = true;
    const { body } = await metrics.render();
    expect(body).not.toContain("openesc_open_sessions 3");
    expect(body).toContain("openesc_rpc_in_flight 2");
  });
  it("reports the audit events waiting in the spool, and nothing when there is no spool", async () => {
    let waiting = 7;
    const metrics = createServerMetrics({ version: "test", processMetrics: false, sources: { spooledAuditEvents: () => waiting } });
    expect((await metrics.render()).body).toContain("openesc_audit_spooled_events 7");
    waiting = 0;
    expect((await metrics.render()).body).toContain("openesc_audit_spooled_events 0");
    expect((await createServerMetrics({ version: "test", processMetrics: false }).render()).body).not.toContain("openesc_audit_spooled_events");
  });
});
