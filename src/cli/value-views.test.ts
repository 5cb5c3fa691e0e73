import { create } from "@bufbuild/protobuf";
import { NullValue } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { interpolateArgs } from "../esc/index.js";
import { ValueSchema, type Value } from "../gen/openesc/v1/value_pb.js";
import { CliError } from "./context.js";
import { fromServerValue, projectedEntries, projectionsOf, renderProjection, renderValue, renderYaml, selectValue } from "./value-views.js";

type Flags = { secret?: boolean; unknown?: boolean };
const str = (value: string, f: Flags = {}): Value => create(ValueSchema, { ...f, kind: { case: "stringValue", value } });
const num = (value: string, f: Flags = {}): Value => create(ValueSchema, { ...f, kind: { case: "numberValue", value } });
const bool = (value: boolean): Value => create(ValueSchema, { kind: { case: "boolValue", value } });
const nul = (): Value => create(ValueSchema, { kind: { case: "nullValue", value: NullValue.NULL_VALUE } });
const list = (...values: Value[]): Value => create(ValueSchema, { kind: { case: "listValue", value: { values } } });
const obj = (fields: Record<string, Value>, f: Flags = {}): Value => create(ValueSchema, { ...f, kind: { case: "objectValue", value: { fields } } });
const flagsOnly = (f: Flags): Value => create(ValueSchema, f);

// §20.11 in open mode (secrets shown), plus numbers kept as text and byte-ordered keys
const opened = obj({
  secret: str("hunter2", { secret: true }),
  flag: bool(true),
  pi: num("3.140"),
  nothing: nul(),
  obj: obj({ "10": str("a"), "2": str("b"), number: str("five") }),
  list: list(str("x"), num("1")),
  environmentVariables: obj({
    SECRET: str("hunter2", { secret: true }),
    FLAG: bool(true),
    PI: num("3.140"),
    EMPTY: nul(),
    LIST: list(str("a")),
  }),
  files: obj({ CONFIG: str("token=hunter2\n", { secret: true }) }),
});

describe("fromServerValue()", () => {
  it("keeps kinds, number text and flags", () => {
    const { value, withheld } = fromServerValue(opened);
    expect(withheld).toBe(0);
    expect(renderValue(selectValue(value, "pi"), "json", false)).toBe("3.140\n");
    expect(selectValue(value, "secret")).toMatchObject({ kind: "string", value: "hunter2", secret: true, unknown: false });
  });

  it("counts secrets sent without content; a withheld one shows [secret] even unredacted", () => {
    const { value, withheld } = fromServerValue(obj({ a: flagsOnly({ secret: true }), b: flagsOnly({ secret: true, unknown: true }), c: flagsOnly({ unknown: true }) }));
    expect(withheld).toBe(2);
    expect(renderValue(value, "json", false)).toBe('{\n  "a": "[secret]",\n  "b": "[unknown]",\n  "c": "[unknown]"\n}\n');
    expect(renderValue(value, "json", true)).toBe('{\n  "a": "[secret]",\n  "b": "[secret]",\n  "c": "[unknown]"\n}\n');
  });

  it("keeps a trace's definition range", () => {
    const v = create(ValueSchema, {
      kind: { case: "stringValue", value: "x" },
      trace: { environment: "p/e", begin: { line: 2, column: 5, byte: 10 }, end: { line: 2, column: 6, byte: 11 } },
    });
    expect(renderValue(fromServerValue(v).value, "detailed", true)).toBe(
      '{\n  "value": "x",\n  "trace": {\n    "def": {\n      "environment": "p/e",\n      "begin": {\n        "line": 2,\n        "column": 5,\n        "byte": 10\n      },\n      "end": {\n        "line": 2,\n        "column": 6,\n        "byte": 11\n      }\n    }\n  }\n}\n',
    );
  });

  it("is undefined without a value (null in every format)", () => {
    const { value } = fromServerValue(undefined);
    expect(renderValue(value, "json", false)).toBe("null\n");
    expect(renderValue(value, "yaml", false)).toBe("null\n");
    expect(renderValue(value, "detailed", false)).toBe("null\n");
    expect(renderValue(value, "string", false)).toBe("\n");
  });
});

describe("renderValue()", () => {
  const { value } = fromServerValue(opened);
  it.each([
    { path: "obj", format: "json" as const, redact: false, out: '{\n  "10": "a",\n  "2": "b",\n  "number": "five"\n}\n' },
    { path: "obj", format: "string" as const, redact: false, out: '"10"="a","2"="b","number"="five"\n' },
    { path: "secret", format: "json" as const, redact: false, out: '"hunter2"\n' },
    { path: "secret", format: "json" as const, redact: true, out: '"[secret]"\n' },
    { path: "secret", format: "string" as const, redact: false, out: "hunter2\n" },
    { path: "files.CONFIG", format: "string" as const, redact: false, out: "token=hunter2\n" },
    { path: "list", format: "string" as const, redact: false, out: '"x","1"\n' },
    { path: "missing.path", format: "json" as const, redact: false, out: "null\n" },
    { path: 'obj["10"]', format: "json" as const, redact: false, out: '"a"\n' },
    { path: "list[1]", format: "detailed" as const, redact: false, out: '{\n  "value": 1,\n  "trace": {}\n}\n' },
  ])("$path as $format (redact $redact)", ({ path, format, redact, out }) => {
    expect(renderValue(selectValue(value, path), format, redact)).toBe(out);
  });

  it("rejects a malformed path as bad usage", () => {
    expect(() => selectValue(value, "a[")).toThrow(CliError);
  });
});

describe("renderYaml()", () => {
  it("prints the plain value with 3-space indentation, numbers verbatim, keys in byte order", () => {
    const { value } = fromServerValue(opened);
    expect(renderYaml(value, false)).toBe(
      [
        "environmentVariables:",
        "   EMPTY: null",
        "   FLAG: true",
        "   LIST:",
        "      - a",
        "   PI: 3.140",
        "   SECRET: hunter2",
        "files:",
        "   CONFIG: |",
        "      token=hunter2",
        "flag: true",
        "list:",
        "   - x",
        "   - 1",
        "nothing: null",
        "obj:",
        '   "10": a',
        '   "2": b',
        "   number: five",
        "pi: 3.140",
        "secret: hunter2",
        "",
      ].join("\n"),
    );
  });

  it("quotes strings that would read as other types, and redacts when asked", () => {
    const { value } = fromServerValue(obj({ a: str("1.5"), b: str("true"), c: str(""), d: str("x", { secret: true }), number: str("n") }));
    expect(renderYaml(value, true)).toBe('a: "1.5"\nb: "true"\nc: ""\nd: "[secret]"\nnumber: n\n');
  });
});

describe("projections", () => {
  it("renders §20.11 as dotenv and shell, file paths given", () => {
    const { value } = fromServerValue(opened);
    const { variables, files } = projectionsOf(value);
    expect(files).toEqual([{ name: "CONFIG", value: "token=hunter2\n", secret: true }]);
    const paths = files.map((f) => ({ name: f.name, value: "/tmp/esc-1", secret: false }));
    expect(renderProjection("dotenv", variables, paths, false)).toBe('EMPTY=""\nFLAG="true"\nPI="3.140"\nSECRET="hunter2"\nCONFIG="/tmp/esc-1"\n');
    expect(renderProjection("shell", variables, paths, true)).toBe(
      'export EMPTY=""\nexport FLAG="true"\nexport PI="3.140"\nexport SECRET="[secret]"\nexport CONFIG="/tmp/esc-1"\n',
    );
  });

  it("sorts ResolveEnvironment's projection maps by name", () => {
    const pv = (value: string, secret = false) => ({ $typeName: "openesc.v1.ProjectedValue" as const, value, secret });
    expect(projectedEntries({ b: pv("2"), A: pv("1", true), a: pv("3") })).toEqual([
      { name: "A", value: "1", secret: true },
      { name: "a", value: "3", secret: false },
      { name: "b", value: "2", secret: false },
    ]);
  });
});

describe("run argument expansion over server values", () => {
  const { value } = fromServerValue(opened);
  it.each([
    { args: ["${secret}"], out: ["hunter2"], secrets: ["hunter2"] },
    { args: ["--pi=${pi}", "${obj}"], out: ["--pi=3.140", '"10"="a","2"="b","number"="five"'], secrets: [] },
    { args: ["x${missing}y"], out: ["xy"], secrets: [] },
    { args: ["a$$b"], out: ["a$b"], secrets: [] },
    { args: ["${unclosed", "$${secret}"], out: ["${unclosed", "${secret}"], secrets: [] },
    { args: ["${list[0]}-${files.CONFIG}"], out: ["x-token=hunter2\n"], secrets: ["token=hunter2\n"] },
  ])("$args", ({ args, out, secrets }) => {
    expect(interpolateArgs(args, value)).toEqual({ args: out, secrets });
  });
});
