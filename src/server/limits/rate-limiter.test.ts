import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limiter.js";

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("createRateLimiter()", () => {
  it("admits a burst, then refuses with the wait until the next token", () => {
    const c = clock();
    const limiter = createRateLimiter({ rate: { perSecond: 2, burst: 3 }, now: c.now });
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(limiter.take("a")).toEqual({ ok: false, retryAfterMs: 500 });
    c.advance(250);
    expect(limiter.take("a")).toEqual({ ok: false, retryAfterMs: 250 });
    c.advance(250);
    expect(limiter.take("a")).toEqual({ ok: true });
  });

  it("keeps one bucket per key", () => {
    const c = clock();
    const limiter = createRateLimiter({ rate: { perSecond: 1, burst: 1 }, now: c.now });
    expect(limiter.take("a")).toEqual({ ok: true });
    expect(limiter.take("a").ok).toBe(false);
    expect(limiter.take("b")).toEqual({ ok: true });
  });

  it("refills no further than the burst", () => {
    const c = clock();
    const limiter = createRateLimiter({ rate: { perSecond: 10, burst: 2 }, now: c.now });
    limiter.take("a");
    c.advance(60_000);
    expect([limiter.take("a").ok, limiter.take("a").ok, limiter.take("a").ok]).toEqual([true, true, false]);
  });

  it("forgets the least recently used key beyond maxKeys", () => {
    const c = clock();
    const limiter = createRateLimiter({ rate: { perSecond: 1, burst: 1 }, maxKeys: 2, now: c.now });
    limiter.take("a");
    limiter.take("b");
    limiter.take("a"); // a is now the most recent
    limiter.take("c"); // evicts b
    expect(limiter.size()).toBe(2);
    expect(limiter.take("a").ok).toBe(false);
    expect(limiter.take("b")).toEqual({ ok: true });
  });

  it("checks a key without taking a token", () => {
    const c = clock();
    const limiter = createRateLimiter({ rate: { perSecond: 2, burst: 1 }, now: c.now });
    expect(limiter.check("a")).toEqual({ ok: true });
    expect(limiter.take("a")).toEqual({ ok: true });
    expect(limiter.check("a")).toEqual({ ok: false, retryAfterMs: 500 });
    expect(limiter.check("a")).toEqual({ ok: false, retryAfterMs: 500 });
    c.advance(500);
    expect(limiter.check("a")).toEqual({ ok: true });
  });

  it("leases up to the whole tokens it holds, with the wait once empty, and takes back no more than the burst", () => {
    const c = clock();
    const limiter = createRateLimiter({ rate: { perSecond: 4, burst: 10 }, now: c.now });
    expect(limiter.lease("a", 4)).toEqual({ granted: 4, retryAfterMs: 0 });
    expect(limiter.lease("a", 8)).toEqual({ granted: 6, retryAfterMs: 250 });
    c.advance(625); // 2.5 tokens
    expect(limiter.lease("a", 8)).toEqual({ granted: 2, retryAfterMs: 125 });
    limiter.giveBack("a", 3);
    expect(limiter.lease("a", 8)).toEqual({ granted: 3, retryAfterMs: 125 });
    limiter.giveBack("a", 50);
    expect(limiter.lease("a", 50)).toEqual({ granted: 10, retryAfterMs: 250 });
    limiter.giveBack("unknown", 5);
    expect(limiter.size()).toBe(1);
  });
});
