/** The messages between the event loop and the audit thread (audit-thread.ts, audit-thread-worker.ts). */
import type { AuditEventDraft } from "../audit/index.js";

export type AuditThreadRequest =
  | { readonly type: "append"; readonly id: number; readonly chain: string; readonly drafts: readonly AuditEventDraft[] }
  | { readonly type: "close" };

/** An error crosses the thread boundary as plain fields: its class does not. */
export interface AuditThreadError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export interface AuditThreadReply {
  readonly id: number;
  /** Undefined when the batch committed. */
  readonly error?: AuditThreadError;
}
