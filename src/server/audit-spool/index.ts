/**
 * The audit spool's front door: keeps the audit events of calls that changed nothing on the local
 * disk while the database refuses writes, and drains them into their chains afterwards.
 */
export { openAuditSpool, REJECTED_FILE_NAME } from "./audit-spool.js";
export type { AuditSpool, AuditSpoolOptions } from "./audit-spool.js";
export { createStoreDrainTarget } from "./spool-drain.js";
export { openStrandedSpools, strandedWorkerDirs } from "./stranded-spools.js";
export type { StrandedSpools, StrandedSpoolsOptions } from "./stranded-spools.js";
export type { DrainTarget } from "./spool-drain.js";
export { SpoolFullError, SPOOL_FILE_NAME } from "./spool-file.js";
export { writeRefusalOf } from "./write-refusal.js";
export type { WriteRefusal } from "./write-refusal.js";
