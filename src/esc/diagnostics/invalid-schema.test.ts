import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `invalid schema: \u2026`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  d: {fn::validate: {schema: {$ref: '#/x'}, value: x}}\n  e: {fn::validate: {schema: {minLength: 1.5}, value: x}}\n  f: {fn::validate: {schema: {$ref: '#/$defs/nope'}, value: x}}\n", {}, {}, [
      "env:2:31: error: invalid schema: only fragment references of the form #/$defs/ref are supported [values.d[\"fn::validate\"].schema]",
      "env:3:31: error: invalid schema: strconv.ParseUint: parsing \"1.5\": invalid syntax [values.e[\"fn::validate\"].schema]",
      "env:4:31: error: invalid schema: unknown subschema #/$defs/nope [values.f[\"fn::validate\"].schema]"
    ], "{\"d\":\"x\",\"e\":\"x\",\"f\":\"x\"}");
  });
});
