import { describe, expect, it } from "vitest";
import { environmentVariables, files, pulumiConfig, renderDotenv, renderShell } from "./projection.js";
import { renderDetailed, renderJson, renderString } from "./render.js";
import { quick } from "./testdata/harness.js";

describe("output formats (esc-language.md §17–18)", () => {
  it("json: two-space indent, final newline, Go escaping, verbatim numbers", async () => {
    const r = await quick("values:\n  a: {b: [1e6, \"<&>\"]}\n  s: {fn::secret: x}\n");
    expect(renderJson(r.r.environment?.value)).toBe('{\n  "a": {\n    "b": [\n      1e+06,\n      "\\u003c\\u0026\\u003e"\n    ]\n  },\n  "s": "[secret]"\n}\n');
    expect(renderJson(r.r.environment?.value, { redact: false })).toContain('"s": "x"');
    expect(renderJson(null)).toBe("null\n");
  });

  it("detailed: the §17.2 Value tree with traces and bases", async () => {
    const r = await quick("imports: [a]\nvalues:\n  x: 2\n", {}, { a: "values: {x: 1}\n" });
    expect(renderDetailed(r.r.environment?.properties["x"])).toBe(`{
  "value": 2,
  "trace": {
    "def": {
      "environment": "env",
      "begin": {
        "line": 3,
        "column": 6,
        "byte": 26
      },
      "end": {
        "line": 3,
        "column": 7,
        "byte": 27
      }
    },
    "base": {
      "value": 1,
      "trace": {
        "def": {
          "environment": "a",
          "begin": {
            "line": 1,
            "column": 13,
            "byte": 12
          },
          "end": {
            "line": 1,
            "column": 14,
            "byte": 13
          }
        }
      }
    }
  }
}
`);
  });

  it("detailed: secret and unknown flags; redacted values", async () => {
    const r = await quick("values:\n  s: {fn::secret: x}\n  o: {fn::open::test: {}}\n", { mode: "check" });
    const s = renderDetailed(r.r.environment?.properties["s"]);
    expect(s.startsWith('{\n  "value": "[secret]",\n  "secret": true,\n')).toBe(true);
    const o = renderDetailed(r.r.environment?.properties["o"]);
    expect(o.startsWith('{\n  "unknown": true,\n  "trace"')).toBe(true);
  });

  it("string: all visible keys, [secret] when redacting, newline appended", async () => {
    const r = await quick("imports: [a]\nvalues:\n  foo: bar\n", {}, { a: "values: {foo: baz, hello: world}\n" });
    expect(renderString(r.r.environment?.value)).toBe('"foo"="bar","hello"="world"\n');
    const s = await quick("values:\n  s: {fn::secret: x}\n  t: \"a\\n\"\n");
    expect(renderString(s.r.environment?.value)).toBe('"s"="[secret]","t"="a\\n"\n');
    expect(renderString(s.r.environment?.properties["t"])).toBe("a\n");
  });

  it("dotenv and shell: sorted, Go-quoted, file variables last (§20.11)", async () => {
    const r = await quick("values:\n  environmentVariables: {B: \"x\\\"y\", A: {fn::secret: s}, N: 1.5, Z: null, L: [1], O: {a: 1}}\n  files: {F: content}\n");
    const v = r.r.environment?.value;
    const fs = files(v).map((f) => ({ name: f.name, value: "/tmp/esc-1", secret: false }));
    expect(renderDotenv({ variables: environmentVariables(v), files: fs })).toBe('A="[secret]"\nB="x\\"y"\nN="1.5"\nZ=""\nF="/tmp/esc-1"\n');
    expect(renderShell({ variables: environmentVariables(v) }, { redact: false })).toBe('export A="s"\nexport B="x\\"y"\nexport N="1.5"\nexport Z=""\n');
    expect(files(v)).toEqual([{ name: "F", value: "content", secret: false }]);
  });

  it("projects unknown variables as [unknown] and skips non-object projections", async () => {
    const r = await quick("values:\n  o: {fn::open::test: {v: 1}}\n  environmentVariables: {V: \"${o.v}\", W: \"x${o.v}\", F: {fn::final: {a: \"${o.v}\"}}}\n", { mode: "check" });
    expect(environmentVariables(r.r.environment?.value)).toEqual([
      { name: "V", value: "[unknown]", secret: false }, { name: "W", value: "[unknown]", secret: false },
    ]);
    const u = await quick("values:\n  environmentVariables: {fn::open::test: {V: x}}\n", { mode: "check" });
    expect(environmentVariables(u.r.environment?.value)).toEqual([]);
  });

  it("pulumiConfig is returned as a value", async () => {
    const r = await quick("values:\n  pulumiConfig: {aws:region: us-west-2}\n");
    expect(pulumiConfig(r.r.environment?.value)?.kind).toBe("object");
    expect(pulumiConfig(null)).toBeUndefined();
  });
});
