import { describe, expect, it } from "vitest";
import { resolveLimits } from "./limits-config.js";

describe("resolveLimits()", () => {
  it("defaults: 4 MiB requests, no identity limit, 50/s per address (burst 100), 10 s headers", () => {
    expect(resolveLimits({}, {})).toEqual({ maxRequestBytes: 4194304, identityRate: undefined, peerRate: { perSecond: 50, burst: 100 }, headerTimeoutMs: 10000 });
  });

  it("reads flags before OPENESC_* variables", () => {
    const env = { OPENESC_RATE_LIMIT: "7", OPENESC_MAX_REQUEST_BYTES: "2048", OPENESC_PEER_RATE_LIMIT: "0", OPENESC_HEADER_TIMEOUT_MS: "500" };
    expect(resolveLimits({}, env)).toEqual({ maxRequestBytes: 2048, identityRate: { perSecond: 7, burst: 14 }, peerRate: undefined, headerTimeoutMs: 500 });
    expect(resolveLimits({ rateLimit: "2.5", rateLimitBurst: "3" }, env).identityRate).toEqual({ perSecond: 2.5, burst: 3 });
  });

  it("gives a slow rate a burst of at least one", () => {
    expect(resolveLimits({ rateLimit: "0.01", peerRateLimit: "0.2" }, {})).toMatchObject({ identityRate: { perSecond: 0.01, burst: 1 }, peerRate: { perSecond: 0.2, burst: 1 } });
  });

  it.each([
    [{ maxRequestBytes: "10" }, 'invalid --max-request-bytes "10": expected a whole number ≥ 1024'],
    [{ maxRequestBytes: "4MB" }, 'invalid --max-request-bytes "4MB": expected a whole number ≥ 1024'],
    [{ rateLimit: "-1" }, 'invalid --rate-limit "-1": expected calls per second, a number ≥ 0'],
    [{ rateLimit: "fast" }, 'invalid --rate-limit "fast": expected calls per second, a number ≥ 0'],
    [{ rateLimit: "5", rateLimitBurst: "0" }, 'invalid --rate-limit-burst "0": expected a whole number ≥ 1'],
    [{ headerTimeoutMs: "5" }, 'invalid --header-timeout-ms "5": expected a whole number ≥ 100'],
  ])("refuses %j", (flags, message) => {
    expect(() => resolveLimits(flags, {})).toThrow(new Error(message));
  });
});
