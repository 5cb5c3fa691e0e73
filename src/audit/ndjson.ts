/**
 * The export format: one JSON object per line (NDJSON), every field of the stored event including
 * its chain links, so an exported file can be verified offline with the same hash rule.
 */
import type { AuditEventRecord } from "./audit-event.js";
import { eventFields } from "./audit-chain.js";
import { canonicalJson } from "./canonical-json.js";

/** One NDJSON line (with its trailing newline) for `event`; keys sorted, time as ISO 8601 as well. */
export function toNdjsonLine(event: AuditEventRecord): string {
  return `${canonicalJson({ ...eventFields(event), timeIso: new Date(event.time).toISOString(), prevHash: event.prevHash, hash: event.hash })}\n`;
}
