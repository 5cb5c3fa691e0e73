import { inspect } from "node:util";
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  InvalidError,
  Secret,
  ValueSchema,
  fromValue,
  parseEnvironmentRef,
  parsePropertyPath,
  reveal,
  valueAtPath,
} from "../src/index.js";

describe("Secret", () => {
  const s = new Secret("hunter2");
  it.each([
    ["String()", () => String(s)],
    ["template literal", () => `${s}`],
    ["toString()", () => s.toString()],
    ["JSON.stringify", () => JSON.stringify({ s })],
    ["util.inspect", () => inspect({ s })],
    ["concatenation", () => "x" + s],
  ])("prints redacted through %s", (_, print) => {
    expect(print()).not.toContain("hunter2");
    expect(print()).toContain("[secret]");
  });

  it("hides the plaintext from enumeration and reveals it on request, at any depth", () => {
    expect(Object.keys(s)).toEqual([]);
    expect({ ...s }).toEqual({});
    expect(s.reveal()).toBe("hunter2");
    expect(reveal({ a: [new Secret({ b: new Secret(1) })], c: "x" })).toEqual({ a: [{ b: 1 }], c: "x" });
  });
});

describe("fromValue()", () => {
  it("maps every kind, numbers from their decimal text, secret flags to Secret", () => {
    const v = create(ValueSchema, {
      kind: {
        case: "objectValue",
        value: {
          fields: {
            n: { kind: { case: "nullValue", value: 0 } },
            b: { kind: { case: "boolValue", value: true } },
            i: { kind: { case: "numberValue", value: "42" } },
            f: { kind: { case: "numberValue", value: "-1.5e3" } },
            s: { kind: { case: "stringValue", value: "x" } },
            l: { kind: { case: "listValue", value: { values: [{ kind: { case: "stringValue", value: "y" } }] } } },
            p: { kind: { case: "stringValue", value: "pw" }, secret: true },
            w: { secret: true },
          },
        },
      },
    });
    const native = fromValue(v) as Record<string, unknown>;
    expect(reveal(native)).toEqual({ b: true, f: -1500, i: 42, l: ["y"], n: null, p: "pw", s: "x", w: null });
    expect(native.p).toBeInstanceOf(Secret);
    expect(native.w).toBeInstanceOf(Secret);
  });
});

describe("property paths", () => {
  it.each([
    ["db.password", ["db", "password"]],
    ["hosts[0]", ["hosts", 0]],
    ['a["b.c"]', ["a", "b.c"]],
    ['["x"].y', ["x", "y"]],
    ['a["q\\"uote"]', ["a", 'q"uote']],
    ["", []],
  ])("%s", (text, path) => {
    expect(parsePropertyPath(text)).toEqual(path);
  });

  it.each([
    [".a", "unexpected '.' at column 1"],
    ["a..b", "expected a property name at column 3"],
    ["a[x]", "expected an index or a quoted key at column 3"],
    ['a["b', "unterminated string at column 5"],
    ["a[0", "expected ']' at column 4"],
  ])("refuses %s", (text, why) => {
    expect(() => parsePropertyPath(text)).toThrow(new InvalidError(`invalid property path "${text}": ${why}`));
  });

  it("walks objects and lists, and keeps secrecy through a secret parent", () => {
    const root = { db: new Secret({ password: "pw", port: 5432 }), hosts: ["a", "b"] };
    expect(valueAtPath(root, "hosts[1]")).toBe("b");
    expect(valueAtPath(root, "hosts[2]")).toBeUndefined();
    expect(valueAtPath(root, "db.nope")).toBeUndefined();
    const pw = valueAtPath(root, "db.password");
    expect(pw).toBeInstanceOf(Secret);
    expect(reveal(pw)).toBe("pw");
  });
});

describe("parseEnvironmentRef()", () => {
  it.each([
    ["acme/app/prod", undefined, { org: "acme", project: "app", environment: "prod", version: "" }],
    ["acme/app/prod@12", undefined, { org: "acme", project: "app", environment: "prod", version: "12" }],
    ["app/prod@stable", "acme", { org: "acme", project: "app", environment: "prod", version: "stable" }],
  ])("%s", (text, org, ref) => {
    expect(parseEnvironmentRef(text, org)).toEqual(ref);
  });

  it.each(["app/prod", "a/b/c/d", "a/b/c@", "a/b c/d"])("refuses %s", (text) => {
    expect(() => parseEnvironmentRef(text)).toThrow(InvalidError);
  });
});
