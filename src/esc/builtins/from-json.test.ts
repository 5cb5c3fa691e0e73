import { describe, expect, it } from "vitest";
import { decodeFirstJson } from "../go-json.js";
import { quick } from "../testdata/harness.js";

describe("fn::fromJSON", () => {
  it("keeps number text and ignores text after the first value (quirk 3)", async () => {
    const r = await quick("values:\n  a: {fn::fromJSON: ' {\"n\": 1.50, \"e\": 1e3, \"d\": 1, \"d\": 2} garbage'}\n");
    expect(r.json).toBe('{"a":{"d":2,"e":1e3,"n":1.50}}');
  });

  it("makes every node secret when the argument is secret (§20.10)", async () => {
    const r = await quick("values:\n  s: {fn::secret: '[{\"a\": 1}]'}\n  o: {fn::fromJSON: \"${s}\"}\n  i: ${o[0].a}\n");
    expect(r.json).toBe('{"i":"[secret]","o":"[secret]","s":"[secret]"}');
    expect(r.revealed).toBe('{"i":1,"o":[{"a":1}],"s":"[{\\"a\\": 1}]"}');
  });

  it("uses Go decoder messages", () => {
    expect(decodeFirstJson("")).toEqual({ error: "EOF" });
    expect(decodeFirstJson("   ")).toEqual({ error: "EOF" });
    expect(decodeFirstJson("{")).toEqual({ error: "unexpected EOF" });
    expect(decodeFirstJson("x")).toEqual({ error: "invalid character 'x' looking for beginning of value" });
    expect(decodeFirstJson("{1}")).toEqual({ error: "invalid character '1' looking for beginning of object key string" });
    expect(decodeFirstJson("[1 2]")).toEqual({ error: "invalid character '2' after array element" });
    expect(decodeFirstJson('{"a":1 "b"}')).toEqual({ error: "invalid character '\"' after object key:value pair" });
    expect(decodeFirstJson("tru")).toEqual({ error: "unexpected EOF" });
    expect(decodeFirstJson("trux")).toEqual({ error: "invalid character 'x' in literal true (expecting 'e')" });
    expect(decodeFirstJson("-x")).toEqual({ error: "invalid character 'x' in numeric literal" });
    expect(decodeFirstJson('"\\q"')).toEqual({ error: "invalid character 'q' in string escape code" });
    expect(decodeFirstJson("1 2")).toEqual({ value: { number: "1" } });
  });

  it("requires a string argument", async () => {
    const r = await quick("values:\n  a: {fn::fromJSON: 1}\n");
    expect(r.diags).toEqual(['env:2:21: error: expected string, got number [values.a["fn::fromJSON"]]']);
  });
});
