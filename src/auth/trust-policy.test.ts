import { describe, expect, it } from "vitest";
import { globMatches } from "./glob.js";
import { exchangedLifetimeMs, trustRefusal } from "./trust-policy.js";

describe("globMatches()", () => {
  it.each([
    ["repo:acme/app:ref:refs/heads/*", "repo:acme/app:ref:refs/heads/main", true],
    ["repo:acme/app:ref:refs/heads/*", "repo:acme/app:ref:refs/heads/feature/x", true],
    ["repo:acme/app:ref:refs/heads/*", "repo:acme/app:ref:refs/tags/v1", false],
    ["repo:acme/*", "repo:acme-evil/app", false],
    ["v?", "v1", true],
    ["v?", "v10", false],
    ["a.b", "aXb", false],
    ["(x)+", "(x)+", true],
    ["", "", true],
  ] as const)("%j ~ %j → %j", (pattern, value, want) => {
    expect(globMatches(pattern, value)).toBe(want);
  });
});

describe("trustRefusal()", () => {
  const policy = { subjectPattern: "repo:acme/app:*", claimConditions: { ref: "refs/heads/main", run_attempt: "1" } };
  it("accepts matching claims; names the first failing claim, never its value", () => {
    expect(trustRefusal(policy, { sub: "repo:acme/app:ref:refs/heads/main", ref: "refs/heads/main", run_attempt: 1 })).toBeUndefined();
    expect(trustRefusal(policy, { sub: "repo:other/app:x", ref: "refs/heads/main" })).toBe("subject does not match the policy's pattern");
    expect(trustRefusal(policy, { sub: "repo:acme/app:x", ref: "refs/heads/dev", run_attempt: "1" })).toBe(`claim "ref" does not match the policy`);
    expect(trustRefusal(policy, { sub: "repo:acme/app:x", ref: "refs/heads/main" })).toBe(`claim "run_attempt" does not match the policy`);
    expect(trustRefusal(policy, { sub: "repo:acme/app:x", ref: { nested: true }, run_attempt: "1" })).toBe(`claim "ref" does not match the policy`);
  });
});

describe("exchangedLifetimeMs()", () => {
  it("is the smallest of the policy's maximum, the request and the OIDC token's remaining life", () => {
    expect(exchangedLifetimeMs(600, undefined, undefined, 0)).toBe(600_000);
    expect(exchangedLifetimeMs(600, 60_000, undefined, 0)).toBe(60_000);
    expect(exchangedLifetimeMs(600, undefined, 30, 0)).toBe(30_000);
  });
});
