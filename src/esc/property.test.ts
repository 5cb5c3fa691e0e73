import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateEnvironment } from "./evaluate.js";
import { escapeLiteral } from "./interpolation.js";
import { diagLines, jsonOf, memoryLoader, quick, rot128, testProviders } from "./testdata/harness.js";

const KEYS = ["a", "b", "c", "obj", "list", "my-key"];
const key = fc.constantFrom(...KEYS);
const ref = fc.tuple(key, fc.constantFrom("", ".a", "[0]", ".b.c", '["x"]', ".")).map(([k, s]) => `\${${k}${s}}`);
const scalar = fc.oneof(
  fc.constantFrom("1", "1.5", "true", "null", "~", "017", "0x1F", ".inf", "text", "'quoted'", '"a$$b"', "''"),
  ref.map((r) => JSON.stringify(r)),
  fc.tuple(fc.string({ maxLength: 4 }), ref).map(([t, r]) => JSON.stringify(t + r)),
);
const BUILTINS = ["fn::join", "fn::split", "fn::concat", "fn::toJSON", "fn::fromJSON", "fn::toBase64", "fn::fromBase64", "fn::toString", "fn::final", "fn::secret", "fn::open::test", "fn::open::error", "fn::validate", "fn::rotate::swap"];
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("e"), { maxLength: 3 }).map((xs) => `[${xs.join(", ")}]`),
    fc.array(fc.tuple(key, tie("e")), { maxLength: 3 }).map((es) => `{${es.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(", ")}}`),
    fc.tuple(fc.constantFrom(...BUILTINS), tie("e")).map(([b, a]) => `{${b}: ${a}}`),
  ),
})).e;
const definition = fc.tuple(fc.array(fc.tuple(key, expr), { maxLength: 6 }), fc.boolean()).map(([entries, imp]) =>
  `${imp ? "imports: [base]\n" : ""}values:\n${entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${v}`).join("\n")}\n`);
const files = { base: "values:\n  a: {fn::final: 1}\n  obj: {b: {c: 2}}\n  list: [x]\n" };

async function evaluate(text: string, mode: "open" | "check") {
  return evaluateEnvironment(text, { name: "env", mode, loader: memoryLoader(files), decrypter: rot128, providers: testProviders });
}

describe("property tests", () => {
  it("arbitrary text never throws", async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
      const r = await evaluateEnvironment(text, { providers: testProviders });
      expect(Array.isArray(r.diagnostics)).toBe(true);
    }), { numRuns: 300 });
  });

  it("arbitrary YAML-ish bytes never throw", async () => {
    const yamlish = fc.array(fc.constantFrom("values:", "imports:", "\n", "  ", "- ", "a: ", "{", "}", "[", "]", ",", "${a}", "fn::join", "&x ", "*x", "!!int ", "'", '"', "#", ":", "$$", "1"), { maxLength: 40 }).map((xs) => xs.join(""));
    await fc.assert(fc.asyncProperty(yamlish, async (text) => {
      await expect(evaluate(text, "open")).resolves.toBeDefined();
    }), { numRuns: 300 });
  });

  it("arbitrary definitions never throw and evaluate deterministically", async () => {
    await fc.assert(fc.asyncProperty(definition, fc.constantFrom("open" as const, "check" as const), async (text, mode) => {
      const a = await evaluate(text, mode);
      const b = await evaluate(text, mode);
      expect(jsonOf(b, false)).toBe(jsonOf(a, false));
      expect(diagLines(b.diagnostics, "env")).toEqual(diagLines(a.diagnostics, "env"));
      expect(a.diagnostics.every((d) => !d.summary.startsWith("internal error: ") || d.summary === "internal error: no receiver")).toBe(true);
    }), { numRuns: 300 });
  });

  it("escaped literal text evaluates back to itself", async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 30 }), async (s) => {
      const r = await quick(`values:\n  x: ${JSON.stringify(escapeLiteral(s))}\n`);
      expect(r.diags).toEqual([]);
      expect(r.r.environment?.properties["x"]?.value).toBe(s);
    }), { numRuns: 200 });
  });
});
