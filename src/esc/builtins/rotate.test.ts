import { describe, expect, it } from "vitest";
import { evaluateEnvironment } from "../evaluate.js";
import { createPluginRegistry } from "../plugin.js";
import { plain } from "../public-value.js";
import { jsonOf, memoryLoader, quick, testPlugin } from "../testdata/harness.js";

const Y = "values:\n  r: {fn::rotate::swap: {inputs: {}, state: {a: x, b: y}}}\n  n: {nested: [{fn::rotate: {provider: swap, inputs: {}, state: {a: 1x, b: 1y}}}]}\n";

describe("fn::rotate", () => {
  it("opens with the stored state in open mode and is unknown in check mode", async () => {
    expect((await quick(Y)).json).toBe('{"n":{"nested":[{"a":"1x","b":"1y"}]},"r":{"a":"x","b":"y"}}');
    expect((await quick(Y, { mode: "check" })).json).toBe('{"n":{"nested":["[unknown]"]},"r":"[unknown]"}');
  });

  it("rotates every root rotator in rotate mode and records patches", async () => {
    const r = await quick(Y, { mode: "rotate" });
    expect(r.json).toBe('{"n":{"nested":[{"a":"1y","b":"1x"}]},"r":{"a":"y","b":"x"}}');
    expect(r.r.patches.map((p) => [p.path, plain(p.replacement)])).toEqual([
      ['values.n.nested[0]["fn::rotate"].state', { a: "1y", b: "1x" }],
      ['values.r["fn::rotate::swap"].state', { a: "y", b: "x" }],
    ]);
  });

  it("rotates only the selected paths", async () => {
    const r = await quick(Y, { mode: "rotate", rotatePaths: ["n.nested[0]"] });
    expect(r.json).toBe('{"n":{"nested":[{"a":"1y","b":"1x"}]},"r":{"a":"x","b":"y"}}');
    expect(r.r.patches.length).toBe(1);
  });

  it("never rotates imported rotators", async () => {
    const r = await evaluateEnvironment("imports: [a]\nvalues: {}\n", {
      mode: "rotate", loader: memoryLoader({ a: Y }), providers: createPluginRegistry([testPlugin]),
    });
    expect(jsonOf(r)).toBe('{"n":{"nested":[{"a":"1x","b":"1y"}]},"r":{"a":"x","b":"y"}}');
    expect(r.patches).toEqual([]);
  });

  it("reports a rotate failure as `rotate: MESSAGE`", async () => {
    const providers = createPluginRegistry([{ rotators: { bad: { open: () => 1, rotate: () => { throw new Error("denied"); } } } }]);
    const r = await evaluateEnvironment("values:\n  r: {fn::rotate::bad: {inputs: {}}}\n", { mode: "rotate", providers });
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["rotate: denied"]);
    expect(jsonOf(r)).toBe('{"r":"[unknown]"}');
  });

  it("does not evaluate rotate-only inputs in open mode, and the rotator still opens (§14.4)", async () => {
    const y = "values:\n  r: {fn::rotate::swap: {inputs: {admin: \"${environments.x.y.z}\"}, state: {a: x, b: y}}}\n";
    const open = await quick(y);
    expect(open.diags).toEqual([]);
    expect(open.json).toBe('{"r":{"a":"x","b":"y"}}');
    const check = await quick(y, { mode: "check" });
    expect(check.diags).toEqual(['env:2:42: error: environment "x/y" not found [values.r["fn::rotate::swap"].inputs.admin]']);
    const rotate = await quick(y, { mode: "rotate" });
    expect(rotate.diags).toEqual(['env:2:42: error: environment "x/y" not found [values.r["fn::rotate::swap"].inputs.admin]']);
    expect(rotate.r.patches).toEqual([]);
  });
});
