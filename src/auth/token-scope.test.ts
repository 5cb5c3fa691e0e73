import { describe, expect, it } from "vitest";
import { intersectScope, scopeProblem, scopeWithin, toTokenScope, UNSCOPED } from "./token-scope.js";

describe("scopeProblem()", () => {
  it.each([
    ["", [], undefined],
    ["read", ["pay", "pay/prod"], undefined],
    ["root", [], `permission "root" must be read, open, write or admin`],
    ["", ["a/b/c"], `resource "a/b/c" must be "project" or "project/environment"`],
    ["", [""], `resource "" must be "project" or "project/environment"`],
  ] as const)("%j %j → %j", (permission, resources, want) => {
    expect(scopeProblem(permission, resources)).toBe(want);
  });
});

describe("scopeWithin() / intersectScope()", () => {
  const read = toTokenScope("read", []);
  const payRead = toTokenScope("read", ["pay"]);
  it.each([
    [UNSCOPED, UNSCOPED, true],
    [read, UNSCOPED, true],
    [UNSCOPED, read, false],
    [toTokenScope("write", []), read, false],
    [toTokenScope("read", ["pay/prod"]), payRead, true],
    [toTokenScope("read", ["ops"]), payRead, false],
    [read, payRead, false],
  ] as const)("#%# within", (inner, outer, want) => {
    expect(scopeWithin(inner, outer)).toBe(want);
  });
  it("inherits the caller's scope when none is asked for, refuses a wider one", () => {
    expect(intersectScope(UNSCOPED, payRead)).toEqual(payRead);
    expect(intersectScope(toTokenScope("open", []), payRead)).toBeUndefined();
    expect(intersectScope(toTokenScope("read", ["pay/prod"]), payRead)).toEqual({ permission: "read", resources: ["pay/prod"] });
  });
});
