import { Code, ConnectError, createContextValues, createHandlerContext } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { OrganizationService } from "../../gen/openesc/v1/organization_pb.js";
import { callInfoKey, principalKey } from "../rpc/call-context.js";
import { createCallLimiter, peerAddress } from "./call-limiter.js";
import { createRateLimiter, type TokenBuckets } from "./rate-limiter.js";

function context(peer: string, identityId?: string, authorization?: string) {
  const values = createContextValues().set(callInfoKey, { requestId: "r", peer });
  if (identityId !== undefined) values.set(principalKey, { identityId, login: identityId, org: "default", kind: "user", role: "member", tokenId: "t" } as never);
  return createHandlerContext({
    service: OrganizationService,
    method: OrganizationService.method.listOrganizations,
    protocolName: "connect",
    requestMethod: "POST",
    url: "/x",
    requestHeader: authorization === undefined ? {} : { authorization },
    contextValues: values,
  });
}

function refusal(limiter: ReturnType<typeof createCallLimiter>, ctx: ReturnType<typeof context>): ConnectError | undefined {
  try {
    limiter.admit(ctx);
    return undefined;
  } catch (e) {
    return ConnectError.from(e);
  }
}

describe("createCallLimiter()", () => {
  it("keys identities by identity and anonymous calls by address (ports ignored)", () => {
    const scopes: string[] = [];
    const limiter = createCallLimiter({ identity: { perSecond: 1, burst: 1 }, peer: { perSecond: 1, burst: 1 }, now: () => 0, onLimited: (s) => scopes.push(s) });
    expect(refusal(limiter, context("10.0.0.1:1", "alice"))).toBeUndefined();
    const error = refusal(limiter, context("10.0.0.2:2", "alice"));
    expect(error?.code).toBe(Code.ResourceExhausted);
    expect(error?.rawMessage).toBe("rate limit exceeded for this identity: retry in 1.000 s");
    expect(error?.details).toEqual([{ type: "google.rpc.RetryInfo", value: new Uint8Array([0x0a, 0x04, 0x08, 0x01, 0x10, 0x00]) }]);
    expect(refusal(limiter, context("10.0.0.1:1", "bob"))).toBeUndefined();
    expect(refusal(limiter, context("10.0.0.1:3"))).toBeUndefined();
    expect(refusal(limiter, context("10.0.0.1:4"))?.rawMessage).toBe("rate limit exceeded for this address: retry in 1.000 s");
    expect(scopes).toEqual(["identity", "peer"]);
  });

  it("refuses an address that failed authentication past its burst, except for credentials that worked before", () => {
    const limiter = createCallLimiter({ peer: { perSecond: 1, burst: 2 }, now: () => 0 });
    const screened = (ctx: ReturnType<typeof context>) => {
      try {
        limiter.screen(ctx);
        return "ok";
      } catch (e) {
        return ConnectError.from(e).rawMessage;
      }
    };
    // A good token authenticates once from this address and is remembered (by its hash).
    const good = context("10.0.0.9:1", "alice", "Bearer good");
    expect(screened(good)).toBe("ok");
    limiter.admit(good);
    limiter.authenticationFailed(context("10.0.0.9:2", undefined, "Bearer guess-1"));
    expect(screened(context("10.0.0.9:3", undefined, "Bearer guess-2"))).toBe("ok");
    limiter.authenticationFailed(context("10.0.0.9:3", undefined, "Bearer guess-2"));
    expect(screened(context("10.0.0.9:4", undefined, "Bearer guess-3"))).toBe("too many failed authentications from this address: retry in 1.000 s");
    expect(screened(context("10.0.0.9:5", undefined, "Bearer never-seen"))).toBe("too many failed authentications from this address: retry in 1.000 s");
    expect(screened(context("10.0.0.9:6", undefined, "Bearer good"))).toBe("ok");
    expect(screened(context("10.0.0.8:1", undefined, "Bearer guess-4"))).toBe("ok");
  });

  it("awaits buckets that answer later (a cluster worker's lease) and refuses with the same error", async () => {
    const asked: string[] = [];
    const later: TokenBuckets = {
      take: (key) => (asked.push(key), Promise.resolve(key === "alice" ? { ok: true } : { ok: false, retryAfterMs: 2500 })),
      check: () => ({ ok: true }),
    };
    const limiter = createCallLimiter({ identity: { perSecond: 1, burst: 1 }, peer: { perSecond: 1, burst: 1 }, buckets: (scope) => (scope === "identity" ? later : createRateLimiter({ rate: { perSecond: 1, burst: 1 } })) });
    await expect(limiter.admit(context("10.0.0.1:1", "alice"))).resolves.toBeUndefined();
    const error = await limiter.admit(context("10.0.0.1:1", "bob"))?.then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.ResourceExhausted);
    expect(error?.rawMessage).toBe("rate limit exceeded for this identity: retry in 2.500 s");
    expect(asked).toEqual(["alice", "bob"]);
    // the peer scope's own buckets answer at once
    expect(limiter.admit(context("10.0.0.1:2"))).toBeUndefined();
  });

  it("admits everything when no rate is set", () => {
    const limiter = createCallLimiter({});
    for (let i = 0; i < 100; i++) expect(refusal(limiter, context("1.2.3.4:5", "x"))).toBeUndefined();
  });
});

describe("peerAddress()", () => {
  it.each([
    ["127.0.0.1:5000", "127.0.0.1"],
    ["[::1]:5000", "::1"],
    ["ipv4:10.1.2.3:80", "10.1.2.3"],
    ["::ffff:10.0.0.1:443", "::ffff:10.0.0.1"],
    ["", ""],
  ])("%s → %s", (peer, address) => {
    expect(peerAddress(peer)).toBe(address);
  });
});
