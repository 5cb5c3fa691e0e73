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
});
