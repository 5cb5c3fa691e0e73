import type { Worker } from "node:cluster";
import { describe, expect, it } from "vitest";
import { createLeaseBank } from "./cluster-leases.js";
import type { ClusterMessage } from "./cluster-messages.js";

/** A stand-in for a node:cluster Worker: records what the primary sends it. */
function fakeWorker(connected = true) {
  const sent: ClusterMessage[] = [];
  const worker = { isConnected: () => connected, send: (m: ClusterMessage) => (sent.push(m), true) } as unknown as Worker;
  return { worker, sent };
}

describe("createLeaseBank()", () => {
  it("grants tokens from one bucket per scope and key to every worker, and takes back what they return", () => {
    const bank = createLeaseBank({ identityRate: { perSecond: 0.001, burst: 10 }, peerRate: { perSecond: 0.001, burst: 2 } }, () => 0);
    const [a, b] = [fakeWorker(), fakeWorker()];
    expect(bank.handle(a.worker, { openesc: "lease?", id: 1, scope: "identity", key: "alice", want: 6 })).toBe(true);
    expect(bank.handle(b.worker, { openesc: "lease?", id: 7, scope: "identity", key: "alice", want: 6 })).toBe(true);
    expect(a.sent).toEqual([{ openesc: "lease!", id: 1, granted: 6, retryAfterMs: 0 }]);
    expect(b.sent).toEqual([{ openesc: "lease!", id: 7, granted: 4, retryAfterMs: 1_000_000 }]);
    // other keys and scopes have buckets of their own; peer and failures are separate
    bank.handle(b.worker, { openesc: "lease?", id: 8, scope: "identity", key: "bob", want: 1 });
    bank.handle(b.worker, { openesc: "lease?", id: 9, scope: "peer", key: "10.0.0.1", want: 5 });
    bank.handle(b.worker, { openesc: "lease?", id: 10, scope: "failures", key: "10.0.0.1", want: 1 });
    expect(b.sent.slice(1)).toEqual([
      { openesc: "lease!", id: 8, granted: 1, retryAfterMs: 0 },
      { openesc: "lease!", id: 9, granted: 2, retryAfterMs: 1_000_000 },
      { openesc: "lease!", id: 10, granted: 1, retryAfterMs: 0 },
    ]);
    expect(bank.handle(a.worker, { openesc: "lease-return", scope: "identity", key: "alice", tokens: 3 })).toBe(true);
    bank.handle(b.worker, { openesc: "lease?", id: 11, scope: "identity", key: "alice", want: 5 });
    expect(b.sent.at(-1)).toEqual({ openesc: "lease!", id: 11, granted: 3, retryAfterMs: 1_000_000 });
  });

  it("answers `unlimited` for a scope it has no limit for, and leaves other messages alone", () => {
    const bank = createLeaseBank({ identityRate: { perSecond: 1, burst: 2 } });
    const a = fakeWorker();
    bank.handle(a.worker, { openesc: "lease?", id: 3, scope: "peer", key: "10.0.0.1", want: 1 });
    expect(a.sent).toEqual([{ openesc: "lease!", id: 3, granted: 0, retryAfterMs: 0, unlimited: true }]);
    expect(bank.handle(a.worker, { openesc: "metrics?", id: 1 })).toBe(false);
    expect(bank.handle(a.worker, "not a message")).toBe(false);
  });

  it("sends nothing to a worker that is gone", () => {
    const bank = createLeaseBank({ identityRate: { perSecond: 1, burst: 2 } });
    const gone = fakeWorker(false);
    expect(bank.handle(gone.worker, { openesc: "lease?", id: 1, scope: "identity", key: "k", want: 1 })).toBe(true);
    expect(gone.sent).toEqual([]);
  });
});
