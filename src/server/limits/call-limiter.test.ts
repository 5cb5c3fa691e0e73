import { Code, ConnectError, createContextValues, createHandlerContext } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { OrganizationService } from "../../gen/openesc/v1/organization_pb.js";
import { callInfoKey, principalKey } from "../rpc/call-context.js";
import { createCallLimiter, peerAddress } from "./call-limiter.js";

function context(peer: string, identityId?: string) {
  const values = createContextValues().set(callInfoKey, { requestId: "r", peer });
  if (identityId !== undefined) values.set(principalKey, { identityId, login: identityId, org: "default", kind: "user", role: "member", tokenId: "t" } as never);
  return createHandlerContext({
    service: OrganizationService,
    method: OrganizationService.method.listOrganizations,
    protocolName: "connect",
    requestMethod: "POST",
    url: "/x",
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
