import { describe, expect, test } from "vitest";
import type { AuditEventDraft, AuditEventRecord } from "./audit-event.js";
import { createGroupAppender } from "./group-appender.js";

const draft = (chain: string, requestId: string): AuditEventDraft => ({
  chain,
  time: 0,
  actor: "",
  actorId: "",
  tokenId: "",
  source: "",
  userAgent: "",
  action: "a",
  org: chain,
  project: "",
  environment: "",
  revision: null,
  providerCalls: [],
  outcome: "ok",
  requestId,
});

/** A target whose batches complete only when the test says so. */
function gatedTarget() {
  const batches: string[][] = [];
  const gates: { open: () => void; fail: (e: Error) => void }[] = [];
  return {
    batches,
    gates,
    appendBatch(chain: string, drafts: readonly AuditEventDraft[]): Promise<AuditEventRecord[]> {
      batches.push(drafts.map((d) => `${chain}:${d.requestId}`));
      return new Promise((resolve, reject) => gates.push({ open: () => resolve([]), fail: reject }));
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("createGroupAppender()", () => {
  test("a lone event is written at once; events arriving meanwhile go together in the next batch, in order", async () => {
    const target = gatedTarget();
    const appender = createGroupAppender(target);
    const first = appender.append(draft("acme", "1"));
    await tick();
    expect(target.batches).toEqual([["acme:1"]]);
    const later = [appender.append(draft("acme", "2")), appender.append(draft("acme", "3"))];
    await tick();
    expect(target.batches).toHaveLength(1);
    target.gates[0]!.open();
    await first;
    await tick();
    expect(target.batches).toEqual([["acme:1"], ["acme:2", "acme:3"]]);
    target.gates[1]!.open();
    await Promise.all(later);
  });

  test("events appended in one turn of the event loop go in one batch", async () => {
    const target = gatedTarget();
    const appender = createGroupAppender(target);
    const calls = [appender.append(draft("acme", "1")), appender.append(draft("acme", "2")), appender.append(draft("acme", "3"))];
    expect(target.batches).toEqual([]);
    await tick();
    expect(target.batches).toEqual([["acme:1", "acme:2", "acme:3"]]);
    target.gates[0]!.open();
    await Promise.all(calls);
  });

  test("chains are written independently; a failed batch rejects exactly its own callers", async () => {
    const target = gatedTarget();
    const appender = createGroupAppender(target, { maxBatch: 2 });
    const a1 = appender.append(draft("a", "1"));
    const b1 = appender.append(draft("b", "1"));
    await tick();
    expect(target.batches).toEqual([["a:1"], ["b:1"]]);
    const a2 = appender.append(draft("a", "2"));
    const a3 = appender.append(draft("a", "3"));
    const a4 = appender.append(draft("a", "4"));
    target.gates[0]!.fail(new Error("disk full"));
    await expect(a1).rejects.toThrow("disk full");
    await tick();
    expect(target.batches[2]).toEqual(["a:2", "a:3"]);
    target.gates[2]!.open();
    await Promise.all([a2, a3]);
    await tick();
    expect(target.batches[3]).toEqual(["a:4"]);
    target.gates[3]!.open();
    target.gates[1]!.open();
    await Promise.all([a4, b1]);
  });
});
