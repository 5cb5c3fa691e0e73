import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { environmentKeyOf, pageRequestOf, validateEnvironmentTag, validateRevision, validateRevisionTagName, validateSegment } from "./validate.js";

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    const ce = ConnectError.from(e);
    expect(ce.code).toBe(Code.InvalidArgument);
    return ce.rawMessage;
  }
  return "ok";
}

describe("validateSegment()", () => {
  it.each([
    ["dev", "ok"],
    ["A-b_c.9", "ok"],
    ["x".repeat(100), "ok"],
    ["", "env: must not be empty"],
    ["x".repeat(101), "env: must be 1–100 letters, digits, '-', '_' or '.'"],
    ["a/b", "env: must be 1–100 letters, digits, '-', '_' or '.'"],
    ["a b", "env: must be 1–100 letters, digits, '-', '_' or '.'"],
    ["é", "env: must be 1–100 letters, digits, '-', '_' or '.'"],
    ["..", "env: must not consist of dots only"],
    ["'; drop table x; --", "env: must be 1–100 letters, digits, '-', '_' or '.'"],
  ])("%j → %s", (value, expected) => {
    expect(message(() => validateSegment("env", value))).toBe(expected);
  });
});

describe("environmentKeyOf()", () => {
  it("names the first bad field", () => {
    expect(environmentKeyOf({ org: "o", project: "p", environment: "e" })).toEqual({ org: "o", project: "p", name: "e" });
    expect(message(() => environmentKeyOf({ org: "", project: "p", environment: "e" }))).toBe("org: must not be empty");
    expect(message(() => environmentKeyOf({ org: "o", project: "p/q", environment: "e" }))).toMatch(/^project: /);
    expect(message(() => environmentKeyOf({ org: "o", project: "p", environment: "" }))).toBe("environment: must not be empty");
  });
});

describe("validateRevisionTagName()", () => {
  it("refuses numbers, which name revisions", () => {
    expect(message(() => validateRevisionTagName("tag", "stable"))).toBe("ok");
    expect(message(() => validateRevisionTagName("tag", "12"))).toBe("tag: must not be a number: numbers name revisions");
  });
});

describe("validateEnvironmentTag()", () => {
  it("bounds names and values", () => {
    expect(message(() => validateEnvironmentTag("name", "team/owner:x", "v"))).toBe("ok");
    expect(message(() => validateEnvironmentTag("name", "a b"))).toMatch(/^name: /);
    expect(message(() => validateEnvironmentTag("name", "t", "v".repeat(1001)))).toBe("value: must be at most 1000 characters");
  });
});

describe("validateRevision()", () => {
  it("accepts positive numbers, and zero only when allowed", () => {
    expect(validateRevision("r", 3n)).toBe(3);
    expect(validateRevision("r", 0n, { allowZero: true })).toBe(0);
    expect(message(() => validateRevision("r", 0n))).toBe("r: must be a positive revision number");
    expect(message(() => validateRevision("r", -1n))).toBe("r: must be a positive revision number");
    expect(message(() => validateRevision("r", 2n ** 60n))).toBe("r: must be a positive revision number");
  });
});

describe("pageRequestOf()", () => {
  it("defaults to 100, caps at 1000 and refuses negatives", () => {
    expect(pageRequestOf({ pageSize: 0, pageToken: "" })).toEqual({ pageSize: 100, pageToken: "" });
    expect(pageRequestOf({ pageSize: 5, pageToken: "t" })).toEqual({ pageSize: 5, pageToken: "t" });
    expect(pageRequestOf({ pageSize: 1_000_000, pageToken: "" })).toEqual({ pageSize: 1000, pageToken: "" });
    expect(message(() => pageRequestOf({ pageSize: -1, pageToken: "" }))).toBe("page_size: must not be negative");
  });
});
