import { describe, expect, it } from "vitest";
import { quick } from "../testdata/harness.js";

const v = (schema: string, value: string): string => `values:\n  v: {fn::validate: {schema: ${schema}, value: ${value}}}\n`;
const msgs = async (schema: string, value: string): Promise<string[]> => (await quick(v(schema, value))).r.diagnostics.map((d) => d.summary);

describe("fn::validate", () => {
  it("passes the value through, reporting failures as errors", async () => {
    const r = await quick(v("{type: string, minLength: 5}", "abc"));
    expect(r.json).toBe('{"v":"abc"}');
    expect(r.diags).toEqual(['env:2:67: error: expected a string of at least length 5 [values.v["fn::validate"].value]']);
  });

  it("uses the §12 message texts", async () => {
    expect(await msgs("{const: [hello, 42]}", "1")).toEqual(['expected ["hello",42]']);
    expect(await msgs("{enum: [foo, bar]}", "baz")).toEqual(['expected one of ["foo","bar"]']);
    expect(await msgs("{enum: [foo]}", "baz")).toEqual(['expected "foo"']);
    expect(await msgs("{multipleOf: 2}", "3")).toEqual(["expected a multiple of 2"]);
    expect(await msgs("{minimum: 1}", "0")).toEqual(["expected a number greater than or equal to 1"]);
    expect(await msgs("{exclusiveMinimum: 1}", "1")).toEqual(["expected a number greater than 1"]);
    expect(await msgs("{maximum: 1}", "2")).toEqual(["expected a number less than or equal to1"]);
    expect(await msgs("{exclusiveMaximum: 1}", "1")).toEqual(["expected a number less than 1"]);
    expect(await msgs("{maxLength: 1}", "ab")).toEqual(["expected a string of at most length 1"]);
    expect(await msgs("{pattern: '^foo[0-9]+$'}", "foo")).toEqual(['string must match the pattern "^foo[0-9]+$"']);
    expect(await msgs("{minItems: 3}", "[1]")).toEqual(["expected an array with at least 3 items"]);
    expect(await msgs("{maxItems: 0}", "[1]")).toEqual(["expected an array with at most 0 items"]);
    expect(await msgs("{minProperties: 1}", "{}")).toEqual(["expected an object with at least 1 properties"]);
    expect(await msgs("{maxProperties: 0}", "{a: 1}")).toEqual(["expected an object with at most 0 properties"]);
    expect(await msgs("{required: [a, b], dependentRequired: {c: [d]}}", "{c: 1}")).toEqual(["missing required properties: a, b, d"]);
    expect(await msgs("{anyOf: [{type: string}, {type: number}]}", "true")).toEqual(["expected string, got boolean", "expected number, got boolean", "at least one subschema must match"]);
    expect(await msgs("{oneOf: [{type: string}, {type: number}]}", "true")).toEqual(["expected string, got boolean", "expected number, got boolean", "exactly one subschema must match"]);
    expect(await msgs("{oneOf: [{type: number}, {minimum: 0}]}", "1")).toEqual(["exactly one subschema may match"]);
    expect(await msgs("{items: false, prefixItems: [{type: number}]}", "[1, 2]")).toEqual([]);
    expect(await msgs("{type: object, additionalProperties: false}", "{a: 1}")).toEqual([]);
    expect(await msgs("{$defs: {s: {type: string}}, properties: {a: {$ref: '#/$defs/s'}}}", "{a: 1}")).toEqual(["expected string, got number"]);
  });

  it("rejects schemas outside the meta-schema (type: integer)", async () => {
    const r = await quick(v("{type: integer}", "1"));
    expect(r.diags).toEqual([
      'env:2:31: error: expected boolean, got object [values.v["fn::validate"].schema]',
      'env:2:37: error: expected one of ["string","number","boolean","array","object","null"] [values.v["fn::validate"].schema.type]',
      'env:2:31: error: at least one subschema must match [values.v["fn::validate"].schema]',
    ]);
    expect(r.json).toBe('{"v":1}');
  });

  it("counts inherited keys and uses only the value's flags", async () => {
    const r = await quick("imports: [a]\nvalues:\n  o: {x: 1}\n  s: {fn::secret: '{\"type\": \"object\"}'}\n  v: {fn::validate: {schema: {required: [y]}, value: \"${o}\"}}\n", {}, { a: "values: {o: {y: 2}}\n" });
    expect(r.diags).toEqual([]);
    expect(r.json).toBe('{"o":{"x":1,"y":2},"s":"[secret]","v":{"x":1,"y":2}}');
  });

  it("uses shape rules for unknown values in check mode", async () => {
    const r = await quick("values:\n  o: {fn::open::schema: {n: 2}}\n  v: {fn::validate: {schema: {type: object, required: [pi, zz]}, value: \"${o}\"}}\n  w: {fn::validate: {schema: {type: string}, value: \"${o}\"}}\n", { mode: "check" });
    expect(r.r.diagnostics.map((d) => d.summary)).toEqual(["zz: missing required property", "expected string, got object"]);
  });

  it("refuses patterns that could backtrack exponentially instead of hanging", async () => {
    const t0 = Date.now();
    const r = await quick(v("{pattern: '^(a+)+$'}", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.r.diagnostics.map((d) => d.summary)).toEqual(["invalid schema: error parsing regexp: repeated groups containing repetition or alternation are not supported"]);
  });
});
