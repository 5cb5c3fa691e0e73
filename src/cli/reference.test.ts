import { describe, expect, it } from "vitest";
import { formatReference, parseReference } from "./reference.js";

describe("parseReference()", () => {
  const ok: [string, string, { org: string; project: string; environment: string; version?: string }][] = [
    ["three parts are org/project/env", "acme/payments/prod", { org: "acme", project: "payments", environment: "prod" }],
    ["two parts are project/env in the default org", "payments/prod", { org: "login-org", project: "payments", environment: "prod" }],
    ["one part is env in project default", "prod", { org: "login-org", project: "default", environment: "prod" }],
    ["a revision number", "acme/payments/prod@12", { org: "acme", project: "payments", environment: "prod", version: "12" }],
    ["a revision tag", "payments/prod@stable", { org: "login-org", project: "payments", environment: "prod", version: "stable" }],
    ["latest", "prod@latest", { org: "login-org", project: "default", environment: "prod", version: "latest" }],
    ["dots, dashes and underscores", "a.b/c-d/e_f", { org: "a.b", project: "c-d", environment: "e_f" }],
    ["case is kept", "Acme/Payments/Prod", { org: "Acme", project: "Payments", environment: "Prod" }],
  ];
  it.each(ok)("%s", (_, text, value) => {
    expect(parseReference(text, "login-org")).toEqual({ value });
  });

  const bad: [string, string, string][] = [
    ["four parts", "a/b/c/d", 'invalid reference "a/b/c/d": expected [org/][project/]env[@version]'],
    ["an empty part", "a//c", 'invalid reference "a//c": expected [org/][project/]env[@version]'],
    ["a leading slash", "/a/b", 'invalid reference "/a/b": expected [org/][project/]env[@version]'],
    ["an empty string", "", 'invalid reference "": expected [org/][project/]env[@version]'],
    ["a blank", "pay ments/dev", 'invalid reference "pay ments/dev": "pay ments" may hold only letters, digits, "-", "_" and "." (1–100)'],
    ["an empty version", "a/b@", 'invalid reference "a/b@": empty version after "@"'],
    ["two @", "a/b@1@2", 'invalid reference "a/b@1@2": invalid version "1@2"'],
    ["a slash in the version", "a/b@x/y", 'invalid reference "a/b@x/y": invalid version "x/y"'],
    ["a segment over 100 characters", `${"x".repeat(101)}`, `invalid reference "${"x".repeat(101)}": "${"x".repeat(101)}" may hold only letters, digits, "-", "_" and "." (1–100)`],
  ];
  it.each(bad)("refuses %s", (_, text, error) => {
    expect(parseReference(text, "default")).toEqual({ error });
  });
});

describe("formatReference()", () => {
  it("prints org/project/env, with the version when asked", () => {
    const ref = { org: "a", project: "b", environment: "c", version: "3" };
    expect(formatReference(ref)).toBe("a/b/c");
    expect(formatReference(ref, true)).toBe("a/b/c@3");
  });
});
