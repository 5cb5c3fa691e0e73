import { describe, expect, it } from "vitest";
import { createLeasedBuckets, leaseChunk, type LeaseChannel } from "./leased-buckets.js";
import { createRateLimiter, type Admission, type Grant, type Rate, type RateLimiter } from "./rate-limiter.js";

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** One primary's buckets and the channels of its simulated workers; replies arrive a microtask later, like IPC. */
function primary(rate: Rate, now: () => number) {
  const bank: RateLimiter = createRateLimiter({ rate, now });
  const stats = { requests: 0, returned: 0 };
  const channel = (): LeaseChannel => ({
    request: async (key, want): Promise<Grant> => {
      stats.requests++;
      await Promise.resolve();
      return bank.lease(key, want);
    },
    giveBack: (key, tokens) => {
      stats.returned += tokens;
      bank.giveBack(key, tokens);
    },
  });
  return { bank, stats, channel };
}

/** Lets every reply in flight arrive (and the requests they cause). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function verdict(taken: Admission | Promise<Admission>): Promise<Admission> {
  return await taken;
}

describe("leaseChunk()", () => {
  it.each([
    [{ perSecond: 1, burst: 1 }, 1],
    [{ perSecond: 10, burst: 20 }, 1],
    [{ perSecond: 50, burst: 100 }, 5],
    [{ perSecond: 1000, burst: 2000 }, 100],
  ])("%j → %d", (rate, chunk) => {
    expect(leaseChunk(rate)).toBe(chunk);
  });
});

describe("createLeasedBuckets()", () => {
  it("admits exactly the burst across three workers sharing one primary (independent buckets would admit three)", async () => {
    const c = clock();
    const rate = { perSecond: 1, burst: 100 };
    const p = primary(rate, c.now);
    const workers = [0, 1, 2].map(() => createLeasedBuckets({ rate, channel: p.channel(), now: c.now }));
    let admitted = 0;
    let refused = 0;
    for (let call = 0; call < 300; call++) {
      const v = await verdict((workers[call % 3] as (typeof workers)[number]).take("alice"));
      if (v.ok) admitted++;
      else refused++;
      await settle();
    }
    expect({ admitted, refused }).toEqual({ admitted: 100, refused: 200 });
    expect(workers.map((w) => w.held("alice"))).toEqual([0, 0, 0]);
  });

  it("answers from the lease without waiting: only the first call of a key waits for the primary", async () => {
    const c = clock();
    const rate = { perSecond: 1, burst: 100 };
    const p = primary(rate, c.now);
    const worker = createLeasedBuckets({ rate, channel: p.channel(), now: c.now });
    let waited = 0;
    for (let call = 0; call < 60; call++) {
      const taken = worker.take("alice");
      if (taken instanceof Promise) waited++;
      expect(await verdict(taken)).toEqual({ ok: true });
      await settle();
    }
    expect(waited).toBe(1);
    // 5 tokens a request (5 % of the burst), asked for ahead of need
    expect(p.stats.requests).toBe(13);
    expect(worker.held("alice")).toBe(5);
  });

  it("refuses with the primary's wait once the bucket is empty, without asking again until a lease period has passed", async () => {
    const c = clock();
    const rate = { perSecond: 0.5, burst: 2 };
    const p = primary(rate, c.now);
    const worker = createLeasedBuckets({ rate, channel: p.channel(), now: c.now, leaseMs: 1000 });
    expect(await verdict(worker.take("a"))).toEqual({ ok: true });
    await settle();
    expect(await verdict(worker.take("a"))).toEqual({ ok: true });
    await settle();
    const asked = p.stats.requests;
    expect(await verdict(worker.take("a"))).toEqual({ ok: false, retryAfterMs: 2000 });
    expect(worker.check("a")).toEqual({ ok: false, retryAfterMs: 2000 });
    c.advance(500);
    expect(worker.take("a")).toEqual({ ok: false, retryAfterMs: 1500 });
    expect(p.stats.requests).toBe(asked);
    // past the lease period the worker asks again (tokens given back by others would be found) …
    c.advance(1000);
    expect(await verdict(worker.take("a"))).toEqual({ ok: false, retryAfterMs: 500 });
    expect(p.stats.requests).toBe(asked + 1);
    // … while the screen of failed authentications keeps refusing until the primary's wait is over
    worker.expire();
    expect(worker.check("a")).toEqual({ ok: false, retryAfterMs: 500 });
    c.advance(500);
    expect(worker.check("a")).toEqual({ ok: true });
    expect(await verdict(worker.take("a"))).toEqual({ ok: true });
  });

  it("serves calls that arrive while a request is on its way, then refuses the ones the bucket cannot cover", async () => {
    const c = clock();
    const rate = { perSecond: 0.001, burst: 10 };
    const p = primary(rate, c.now);
    const worker = createLeasedBuckets({ rate, channel: p.channel(), now: c.now });
    const verdicts = await Promise.all(Array.from({ length: 15 }, () => verdict(worker.take("bob"))));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(10);
    expect(verdicts.slice(10)).toEqual(Array.from({ length: 5 }, () => ({ ok: false, retryAfterMs: 1_000_000 })));
  });

  it("gives an idle worker's unused tokens back when its lease expires, so another worker can use them", async () => {
    const c = clock();
    const rate = { perSecond: 0.001, burst: 20 };
    const p = primary(rate, c.now);
    const [a, b] = [createLeasedBuckets({ rate, channel: p.channel(), now: c.now }), createLeasedBuckets({ rate, channel: p.channel(), now: c.now })];
    expect(await verdict(a.take("k"))).toEqual({ ok: true });
    await settle();
    expect(a.held("k")).toBe(1); // asked for ahead of need
    let admitted = 0;
    for (let i = 0; i < 25; i++) {
      if ((await verdict(b.take("k"))).ok) admitted++;
      await settle();
    }
    expect(admitted).toBe(18);
    c.advance(1000);
    a.expire();
    expect(p.stats.returned).toBe(1);
    expect(a.held("k")).toBe(0);
    expect(await verdict(b.take("k"))).toEqual({ ok: true });
    await settle();
    expect((await verdict(b.take("k"))).ok).toBe(false);
    // a forgets the key once it holds nothing
    expect(a.size()).toBe(0);
  });

  it("keeps a lease in use: its tokens go back only once it has been idle for a lease period", async () => {
    const c = clock();
    const rate = { perSecond: 0.001, burst: 100 };
    const p = primary(rate, c.now);
    const worker = createLeasedBuckets({ rate, channel: p.channel(), now: c.now, leaseMs: 1000 });
    let waited = 0;
    for (let i = 0; i < 4; i++) {
      const taken = worker.take("k");
      if (taken instanceof Promise) waited++;
      expect(await verdict(taken)).toEqual({ ok: true });
      await settle();
      c.advance(900);
      worker.expire();
    }
    expect({ waited, returned: p.stats.returned, held: worker.held("k") }).toEqual({ waited: 1, returned: 0, held: 6 });
    c.advance(100);
    worker.expire();
    expect({ returned: p.stats.returned, held: worker.held("k") }).toEqual({ returned: 6, held: 0 });
  });

  it("judges by the worker's own bucket while the primary does not answer", async () => {
    const c = clock();
    const rate = { perSecond: 0.001, burst: 3 };
    let asked = 0;
    const silent: LeaseChannel = { request: async () => (asked++, undefined), giveBack: () => undefined };
    const worker = createLeasedBuckets({ rate, channel: silent, now: c.now, leaseMs: 1000 });
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push((await verdict(worker.take("x"))).ok);
    expect(verdicts).toEqual([true, true, true, false, false]);
    // without asking again for a lease period (no wait per call for a primary that does not answer) …
    expect(asked).toBe(1);
    // … then it asks again
    c.advance(1000);
    await verdict(worker.take("x"));
    expect(asked).toBe(2);
  });

  it("keeps at most maxKeys keys, giving back the tokens of the one it forgets", async () => {
    const c = clock();
    const rate = { perSecond: 1, burst: 100 };
    const p = primary(rate, c.now);
    const worker = createLeasedBuckets({ rate, channel: p.channel(), now: c.now, maxKeys: 2 });
    for (const key of ["a", "b"]) {
      await verdict(worker.take(key));
      await settle();
    }
    expect(worker.held("a")).toBe(4);
    await verdict(worker.take("c"));
    await settle();
    expect(worker.size()).toBe(2);
    expect(worker.held("a")).toBe(0);
    expect(p.stats.returned).toBe(4);
    // a's bucket at the primary: 100 − 5 granted + 4 given back
    expect(p.bank.lease("a", 1000)).toEqual({ granted: 99, retryAfterMs: 1000 });
  });
});
