import { describe, expect, it } from "vitest";
import { effectivePermission, type AccessFacts } from "./effective-permission.js";
import type { Principal } from "./principal.js";
import { UNSCOPED, type TokenScope } from "./token-scope.js";

const member = (overrides: Partial<Principal> = {}): Principal => ({
  identityId: "i",
  login: "ana",
  org: "acme",
  kind: "user",
  role: "member",
  tokenId: "t",
  scope: UNSCOPED,
  tokenExpiresAt: null,
  ...overrides,
});
const facts = (grants: AccessFacts["grants"], defaultPermission: AccessFacts["defaultPermission"] = "none"): AccessFacts => ({ defaultPermission, grants });
const prod = { org: "acme", project: "pay", environment: "prod" };

describe("effectivePermission()", () => {
  it.each([
    ["no grant: none (denied is the default)", facts([]), prod, "none"],
    ["the org default applies to environments", facts([], "read"), prod, "read"],
    ["the org default does not make anyone an org admin", facts([], "admin"), { org: "acme" }, "none"],
    ["an environment grant", facts([{ project: "pay", environment: "prod", permission: "open" }]), prod, "open"],
    ["another environment's grant does not apply", facts([{ project: "pay", environment: "dev", permission: "admin" }]), prod, "none"],
    ["a project grant covers its environments", facts([{ project: "pay", environment: "", permission: "write" }]), prod, "write"],
    ["an org grant covers everything", facts([{ project: "", environment: "", permission: "read" }]), prod, "read"],
    ["the highest applicable grant wins", facts([{ project: "", environment: "", permission: "read" }, { project: "pay", environment: "prod", permission: "write" }, { project: "pay", environment: "", permission: "open" }], "read"), prod, "write"],
    ["an environment grant says nothing about its project", facts([{ project: "pay", environment: "prod", permission: "admin" }]), { org: "acme", project: "pay" }, "none"],
    ["nothing in another organization", facts([{ project: "", environment: "", permission: "admin" }]), { ...prod, org: "other" }, "none"],
  ] as const)("%s", (_name, f, resource, want) => {
    expect(effectivePermission(member(), f, resource)).toBe(want);
  });

  it("gives org admins admin in their organization only; admins of `default` everywhere", () => {
    expect(effectivePermission(member({ role: "admin" }), facts([]), prod)).toBe("admin");
    expect(effectivePermission(member({ role: "admin" }), facts([]), { ...prod, org: "other" })).toBe("none");
    expect(effectivePermission(member({ role: "admin", org: "default" }), facts([]), prod)).toBe("admin");
    expect(effectivePermission(member({ role: "auditor" }), facts([]), prod)).toBe("none");
  });

  it.each([
    ["a ceiling caps the identity", { permission: "read", resources: [] }, prod, "read"],
    ["a ceiling above the identity changes nothing", { permission: "admin", resources: [] }, { org: "acme", project: "pay", environment: "prod" }, "admin"],
    ["a listed environment is reached", { resources: ["pay/prod"] }, prod, "admin"],
    ["a listed project reaches its environments", { resources: ["pay"] }, prod, "admin"],
    ["an unlisted environment is not", { resources: ["pay/dev"] }, prod, "none"],
    ["a resource-limited token reaches nothing organization-wide", { resources: ["pay"] }, { org: "acme" }, "none"],
  ] as const)("token scope: %s", (_name, scope, resource, want) => {
    expect(effectivePermission(member({ role: "admin", scope: scope as TokenScope }), facts([]), resource)).toBe(want);
  });
});
