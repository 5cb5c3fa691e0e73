/**
 * The audit module's front door: the event model, its canonical JSON and hash chain, and chain
 * verification. Storage lives in src/store/audit-repository.ts; the pipeline step that records one
 * event per RPC lives in src/server/rpc/audit-step.ts.
 */
export type { AuditEventDraft, AuditEventRecord, AuditProviderCall } from "./audit-event.js";
export { canonicalJson } from "./canonical-json.js";
export type { CanonicalValue } from "./canonical-json.js";
export { GENESIS_HASH, eventPayload, hashEvent, linkEvent, payloadAroundSeq } from "./audit-chain.js";
export { verifyChain } from "./verify-chain.js";
export type { BrokenLink, ChainHead, ChainVerification } from "./verify-chain.js";
export { toNdjsonLine } from "./ndjson.js";
export { readEvents, readEventsByTime, readExport, verifyStoredChain } from "./event-source.js";
export type { AuditEventSource, TimeOrderedEventSource, TimeSeqKey } from "./event-source.js";
export { createGroupAppender } from "./group-appender.js";
export type { BatchTarget, GroupAppender } from "./group-appender.js";
