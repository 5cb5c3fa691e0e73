import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { DiagnosticsSchema } from "../gen/openesc/v1/diagnostic_pb.js";
import { checkDefinitionShape, MAX_DEFINITION_BYTES } from "./definition-check.js";

function refusal(definition: string): { message: string; diagnostics: [string, number | undefined, number | undefined][] } {
  try {
    checkDefinitionShape("dev", definition);
  } catch (e) {
    const ce = ConnectError.from(e);
    expect(ce.code).toBe(Code.InvalidArgument);
    const diagnostics = (ce.findDetails(DiagnosticsSchema)[0]?.diagnostics ?? []).map(
      (d) => [d.summary, d.range?.begin?.line, d.range?.begin?.column] as [string, number | undefined, number | undefined],
    );
    return { message: ce.rawMessage, diagnostics };
  }
  throw new Error("expected a refusal");
}

describe("checkDefinitionShape()", () => {
  it("accepts mappings and turns an empty definition into {}", () => {
    expect(checkDefinitionShape("dev", "values:\n  a: 1 # c\n")).toBe("values:\n  a: 1 # c\n");
    expect(checkDefinitionShape("dev", "")).toBe("{}\n");
    expect(checkDefinitionShape("dev", "  \n")).toBe("{}\n");
  });

  it("refuses a root that is not a mapping", () => {
    expect(refusal("- a\n").message).toBe("definition: 1:1: the definition must be a mapping");
    expect(refusal("just text").message).toBe("definition: 1:1: the definition must be a mapping");
  });

  it("refuses aliases with their position", () => {
    const r = refusal("values:\n  a: &x 1\n  b: *x\n");
    expect(r.message).toBe("definition: 3:6: alias nodes are not supported");
    expect(r.diagnostics).toEqual([["alias nodes are not supported", 3, 6]]);
  });

  it("refuses YAML that does not parse, with a position and no source text", () => {
    const r = refusal("values:\n  a: [1, 2\n  secret: hunter2\n");
    expect(r.message).toMatch(/^definition: \d+:\d+: /);
    expect(r.message).not.toContain("hunter2");
  });

  it("leaves duplicate keys to the language (spec §1.1)", () => {
    expect(checkDefinitionShape("dev", "a: 1\na: 2\n")).toBe("a: 1\na: 2\n");
    expect(refusal("null\n").message).toBe("definition: 1:1: the definition must be a mapping");
  });

  it("refuses more than 1 MiB and more than 64 levels", () => {
    expect(refusal(`a: "${"x".repeat(MAX_DEFINITION_BYTES)}"`).message).toBe(`definition: definition is larger than ${MAX_DEFINITION_BYTES} bytes`);
    const deep = Array.from({ length: 65 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n") + " 1\n";
    expect(refusal(deep).message).toMatch(/^definition: \d+:\d+: the definition is nested deeper than 64 levels$/);
    const ok = Array.from({ length: 64 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n") + " 1\n";
    expect(checkDefinitionShape("dev", ok)).toBe(ok);
  });
});
