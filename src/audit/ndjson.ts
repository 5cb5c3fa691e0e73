/**
 * The export format: one JSON object per line (NDJSON), every field of the stored event including
 * its chain links, so an exported file can be verified offline with the same hash rule.
 */
import type { AuditEventRecord } from "./audit-event.js";
import { canonicalJson } from "./canonical-json.js";

/** One NDJSON line (with its trailing newline) for `event`; keys sorted, time as ISO 8601 as well. */
export function toNdjsonLine(event: AuditEventRecord): string {
  return `${canonicalJson({
    chain: event.chain,
    seq: event.seq,
    time: event.time,
    timeIso: new Date(event.time).toISOString(),
    actor: event.actor,
    actorId: event.actorId,
    tokenId: event.tokenId,
    source: event.source,
    userAgent: event.userAgent,
    action: event.action,
    org: event.org,
    project: event.project,
    environment: event.environment,
    revision: event.revision,
    providerCalls: event.providerCalls.map((c) => ({ provider: c.provider, path: c.path, durationMs: c.durationMs, outcome: c.outcome })),
    outcome: event.outcome,
    requestId: event.requestId,
    prevHash: event.prevHash,
    hash: event.hash,
  })}\n`;
}
