import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: builtin shape messages of fn::join, fn::split, fn::concat, fn::validate", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: {fn::join: [1]}\n  b: {fn::split: x}\n  c: {fn::concat: x}\n  d: {fn::validate: 1}\n  e: {fn::validate: {value: 1}}\n  f: {fn::validate: {schema: true}}\n", {}, {}, [
      "env:2:18: error: the argument to fn::join must be a two-valued list [values.a[\"fn::join\"]]",
      "env:3:18: error: the argument to fn::split must be a two-valued list [values.b[\"fn::split\"]]",
      "env:4:19: error: the argument to fn::concat must be an array of arrays [values.c[\"fn::concat\"]]",
      "env:5:21: error: the argument to fn::validate must be an object containing 'schema' and 'value' [values.d[\"fn::validate\"]]",
      "env:6:22: error: missing required property 'schema' [values.e[\"fn::validate\"]]",
      "env:7:22: error: missing required property 'value' [values.f[\"fn::validate\"]]",
      "env:4:19: error: expected array, got string [values.c[\"fn::concat\"]]"
    ], "{\"a\":\"[unknown]\",\"b\":\"[unknown]\",\"c\":\"[unknown]\",\"d\":\"[unknown]\",\"e\":1,\"f\":\"[unknown]\"}");
  });
});
