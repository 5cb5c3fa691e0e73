/**
 * What the fault tests read about the audit log and its local spool: the spool gauge on /metrics
 * (no RPC, so reading it adds no event), the events of an org's chain in order, and polling.
 */
import { AuditService } from "../../src/gen/openesc/v1/audit_pb.js";
import { clientFor } from "../support/clients.js";

/** `openesc_audit_spooled_events` as /metrics reports it; undefined when absent. */
export async function spooledEvents(url: string): Promise<number | undefined> {
  const body = await (await fetch(`${url}/metrics`)).text();
  const m = /^openesc_audit_spooled_events (\d+)$/m.exec(body);
  return m === null ? undefined : Number(m[1]);
}

export interface TrailEvent {
  readonly action: string;
  readonly outcome: string;
  readonly environment: string;
  readonly requestId: string;
  readonly timeMs: number;
}

/** The org's events in chain order (oldest first), without the AuditService calls that read them. */
export async function auditTrail(url: string, token: string, org: string): Promise<TrailEvent[]> {
  const audit = clientFor(AuditService, "connect", url, token);
  const events: TrailEvent[] = [];
  let pageToken = "";
  do {
    const page = await audit.listAuditEvents({ org, pageSize: 500, pageToken });
    for (const e of page.events) {
      if (e.action.startsWith("openesc.v1.AuditService/")) continue;
      events.push({ action: e.action.replace(/^openesc\.v1\./, ""), outcome: e.outcome, environment: e.environment, requestId: e.requestId, timeMs: Number(e.time?.seconds ?? 0n) * 1000 + Math.floor((e.time?.nanos ?? 0) / 1e6) });
    }
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return events.reverse();
}

/** VerifyAuditLog for the org. */
export async function verifyAuditLog(url: string, token: string, org: string): Promise<{ ok: boolean; reason: string }> {
  const result = await clientFor(AuditService, "connect", url, token).verifyAuditLog({ org });
  return { ok: result.ok, reason: result.reason };
}

/** Waits (at most `ms`, default 20 s) until `check` holds. */
export async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
