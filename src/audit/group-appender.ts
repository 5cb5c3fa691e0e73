/**
 * Group commit for audit events written outside a mutation's transaction (reads, denials,
 * failures): while one batch is being written, the events of concurrent calls queue up, and the
 * next batch writes them all in one transaction — one chain-head lock and one commit for many
 * events, instead of a convoy of calls waiting on the same row lock. An idle chain's first batch
 * starts at the end of the current turn of the event loop (setImmediate), so that the calls answered
 * in one turn — many, under load — share it; a lone call waits for nothing else. Each caller learns
 * whether its own event was written.
 */
import type { AuditEventDraft } from "./audit-event.js";

export interface BatchTarget {
  /** Writes all the drafts or none; what it resolves with is not used. */
  appendBatch(chain: string, drafts: readonly AuditEventDraft[]): Promise<unknown>;
}

export interface GroupAppender {
  /** Resolves once the event is committed; rejects with the batch's failure. */
  append(draft: AuditEventDraft): Promise<void>;
}

interface Pending {
  readonly draft: AuditEventDraft;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** One writer per chain at a time; `maxBatch` bounds a transaction's size (default 256). */
export function createGroupAppender(target: BatchTarget, options: { maxBatch?: number } = {}): GroupAppender {
  const maxBatch = options.maxBatch ?? 256;
  const queues = new Map<string, Pending[]>();
  const busy = new Set<string>();
  const scheduled = new Set<string>();

  async function drain(chain: string): Promise<void> {
    busy.add(chain);
    try {
      for (;;) {
        const queue = queues.get(chain);
        if (queue === undefined || queue.length === 0) {
          queues.delete(chain);
          return;
        }
        const batch = queue.splice(0, maxBatch);
        try {
          await target.appendBatch(chain, batch.map((p) => p.draft));
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      busy.delete(chain);
    }
  }

  return {
    append(draft) {
      return new Promise<void>((resolve, reject) => {
        let queue = queues.get(draft.chain);
        if (queue === undefined) {
          queue = [];
          queues.set(draft.chain, queue);
        }
        queue.push({ draft, resolve, reject });
        const chain = draft.chain;
        if (busy.has(chain) || scheduled.has(chain)) return;
        scheduled.add(chain);
        setImmediate(() => {
          scheduled.delete(chain);
          if (!busy.has(chain)) void drain(chain);
        });
      });
    },
  };
}
