import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { secret, toValue, type RotationPatch } from "../esc/index.js";
import { applyRotationPatches, createDirectoryLoader, environmentFile, invalidNameReason, readEnvironment } from "./local-environments.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "openesc-local-"));
  mkdirSync(join(dir, "foo"));
  writeFileSync(join(dir, "root.yaml"), "values: { a: 1 }\n");
  writeFileSync(join(dir, "foo", "bar.yaml"), "values: { b: 2 }\n");
  mkdirSync(join(dir, "folder.yaml"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("environment names", () => {
  it.each(["root", "foo/bar", "a.b/c-d_e", "...x", "x.."])("accepts %s", (name) => {
    expect(invalidNameReason(name)).toBeUndefined();
  });
  it.each([
    ["", "the name is empty"],
    ["../x", 'a name may not have empty, "." or ".." parts'],
    ["foo/../../x", 'a name may not have empty, "." or ".." parts'],
    ["..", 'a name may not have empty, "." or ".." parts'],
    ["./x", 'a name may not have empty, "." or ".." parts'],
    ["foo//bar", 'a name may not have empty, "." or ".." parts'],
    ["foo/", 'a name may not have empty, "." or ".." parts'],
    ["/etc/passwd", "the name is an absolute path"],
    ["C:/x", "the name is an absolute path"],
    ["a\\..\\..\\b", 'the name contains "\\"; separate folders with "/"'],
    ["a\0b", "the name contains a NUL character"],
  ])("refuses %j", (name, reason) => {
    expect(invalidNameReason(name)).toBe(reason);
    expect(environmentFile(dir, name)).toEqual({ error: `invalid environment name "${name}": ${reason}` });
  });
  it("maps foo/bar to DIR/foo/bar.yaml", () => {
    expect(environmentFile(dir, "foo/bar")).toEqual({ file: join(dir, "foo", "bar.yaml") });
  });
});

describe("directory loader", () => {
  const loader = () => createDirectoryLoader(dir);
  it("reads the root and nested files", async () => {
    expect(await loader().load("root", undefined)).toEqual({ yaml: "values: { a: 1 }\n" });
    expect(await loader().load("foo/bar", undefined)).toEqual({ yaml: "values: { b: 2 }\n" });
    expect(await loader().load("foo/bar", "latest")).toEqual({ yaml: "values: { b: 2 }\n" });
  });
  it("reports a missing file with the text hosted ESC uses", async () => {
    await expect(loader().load("nope", undefined)).rejects.toThrow(/^environment "nope" not found$/);
    await expect(loader().load("foo/nope", undefined)).rejects.toThrow(/^environment "foo\/nope" not found$/);
    // a file where a folder is expected
    await expect(loader().load("root/x", undefined)).rejects.toThrow(/^environment "root\/x" not found$/);
  });
  it("refuses names that leave the folder", async () => {
    await expect(loader().load("../root", undefined)).rejects.toThrow('invalid environment name "../root": a name may not have empty, "." or ".." parts');
    await expect(loader().load(join(dir, "root"), undefined)).rejects.toThrow(/the name is an absolute path$/);
  });
  it("refuses versions other than latest", async () => {
    await expect(loader().load("root", "3")).rejects.toThrow('environment "root@3" not found: local environments have no versions other than latest');
  });
  it("reports other read failures", async () => {
    await expect(readEnvironment(dir, "folder")).rejects.toThrow(/^environment "folder": cannot read .*folder\.yaml: EISDIR$/);
  });
});

describe("rotation write-back (§14.3)", () => {
  const patch = (path: string, replacement: unknown): RotationPatch => ({ path, replacement: toValue(replacement) });

  it("replaces a block state, keeping the rest byte for byte", () => {
    const text = "# head\nvalues:\n  pair:\n    fn::rotate::swap:\n      inputs: {}   # kept\n      state:\n        a: x # gone with the old state\n        b: y\n  other: { z: 1 }\n";
    expect(applyRotationPatches(text, [patch('values.pair["fn::rotate::swap"].state', { a: "y", b: "x" })])).toBe(
      "# head\nvalues:\n  pair:\n    fn::rotate::swap:\n      inputs: {}   # kept\n      state:\n        a: y\n        b: x\n  other: { z: 1 }\n",
    );
  });

  it("replaces a flow state in flow style", () => {
    const text = "values:\n  p: { fn::rotate::swap: { inputs: {}, state: { a: 1, b: 2 } } } # c\n";
    expect(applyRotationPatches(text, [patch('values.p["fn::rotate::swap"].state', { a: 2, b: "x, y" })])).toBe(
      'values:\n  p: { fn::rotate::swap: { inputs: {}, state: { a: 2, b: "x, y" } } } # c\n',
    );
  });

  it("adds a missing state to flow and block calls", () => {
    const flow = "values:\n  p: { fn::rotate::swap: { inputs: {} } }\n";
    expect(applyRotationPatches(flow, [patch('values.p["fn::rotate::swap"].state', { a: 1 })])).toBe("values:\n  p: { fn::rotate::swap: { inputs: {}, state: { a: 1 } } }\n");
    const block = "values:\n  p:\n    fn::rotate::swap:\n      inputs:\n        k: v\n  q: 1\n";
    expect(applyRotationPatches(block, [patch('values.p["fn::rotate::swap"].state', { a: 1, l: [1, 2] })])).toBe(
      "values:\n  p:\n    fn::rotate::swap:\n      inputs:\n        k: v\n      state:\n        a: 1\n        l:\n          - 1\n          - 2\n  q: 1\n",
    );
  });

  it("wraps secrets: strings as fn::secret, other values as fn::fromJSON of a secret, leaves one by one", () => {
    const text = "values:\n  s: { fn::rotate::r: { inputs: {}, state: {} } }\n  t: { fn::rotate::r: { inputs: {}, state: {} } }\n";
    const out = applyRotationPatches(text, [
      { path: 'values.s["fn::rotate::r"].state', replacement: toValue({ user: "u", password: secret("p@ss: \"w\"") }) },
      { path: 'values.t["fn::rotate::r"].state', replacement: secret({ n: 1, list: ["a"] }) },
    ]);
    expect(parse(out)).toEqual({
      values: {
        s: { "fn::rotate::r": { inputs: {}, state: { user: "u", password: { "fn::secret": 'p@ss: "w"' } } } },
        t: { "fn::rotate::r": { inputs: {}, state: { "fn::fromJSON": { "fn::secret": '{"list":["a"],"n":1}' } } } },
      },
    });
  });

  it("follows subscript paths", () => {
    const text = 'values:\n  examples:\n    "subscript-path":\n      - fn::rotate::swap: { inputs: {}, state: { a: 1 } }\n';
    expect(applyRotationPatches(text, [patch('values.examples["subscript-path"][0]["fn::rotate::swap"].state', { a: 2 })])).toBe(
      'values:\n  examples:\n    "subscript-path":\n      - fn::rotate::swap: { inputs: {}, state: { a: 2 } }\n',
    );
  });

  it("refuses a path that does not lead to a call", () => {
    expect(() => applyRotationPatches("values: {}\n", [patch('values.x["fn::rotate::r"].state', {})])).toThrow(/no rotator call at this path/);
  });
});
