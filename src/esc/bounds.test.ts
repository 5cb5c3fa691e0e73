import { describe, expect, it } from "vitest";
import { evaluateEnvironment } from "./evaluate.js";
import { createPluginRegistry } from "./plugin.js";
import { memoryLoader } from "./testdata/harness.js";

const summaries = (r: { diagnostics: ReadonlyArray<{ summary: string }> }): string[] => r.diagnostics.map((d) => d.summary);

describe("bounds: each limit is a diagnostic, never a hang or a crash", () => {
  it("document size", async () => {
    const r = await evaluateEnvironment("values: {a: 123456}\n", { limits: { maxDocumentBytes: 10 } });
    expect(summaries(r)).toEqual(["definition exceeds the maximum size of 10 bytes"]);
    expect(r.environment).toBeNull();
  });

  it("nesting depth", async () => {
    const r = await evaluateEnvironment("values:\n  a: " + "[".repeat(50) + "]".repeat(50) + "\n", { limits: { maxDepth: 20 } });
    expect(summaries(r)).toEqual(["definition exceeds the maximum nesting depth of 20"]);
  });

  it("import depth", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`e${i}`] = `imports: [e${i + 1}]\nvalues: {v${i}: ${i}}\n`;
    files["e10"] = "values: {last: 1}\n";
    const r = await evaluateEnvironment("imports: [e0]\n", { loader: memoryLoader(files), limits: { maxImportDepth: 4 } });
    expect(summaries(r)).toEqual(["imports are nested more than 4 levels deep"]);
    expect(Object.keys(r.environment?.properties ?? {})).toEqual(["v0", "v1", "v2", "v3"]);
  });

  it("import count", async () => {
    const names = Array.from({ length: 8 }, (_, i) => `e${i}`);
    const files = Object.fromEntries(names.map((n) => [n, `values: {${n}: 1}\n`]));
    const r = await evaluateEnvironment(`imports: [${names.join(", ")}]\n`, { loader: memoryLoader(files), limits: { maxImports: 5 } });
    expect(summaries(r)).toEqual(Array(3).fill("too many imported environments (more than 5)"));
  });

  it("value count", async () => {
    const r = await evaluateEnvironment("values:\n  a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n", { limits: { maxValues: 5 } });
    expect(summaries(r)).toEqual(["evaluation exceeds the maximum of 5 values"]);
  });

  it("string length", async () => {
    const r = await evaluateEnvironment("values:\n  a: xxxxxxxxxx\n  b: ${a}${a}\n  c: {fn::join: [\"\", [\"${a}\", \"${a}\"]]}\n", { limits: { maxStringLength: 15 } });
    expect(summaries(r)).toEqual(["string exceeds the maximum length of 15", "string exceeds the maximum length of 15"]);
  });

  it("reference depth: a 20,000-long reference chain does not overflow the stack", async () => {
    const lines = ["values:", "  v0: start"];
    for (let i = 1; i < 20000; i++) lines.push(`  v${i}: \${v${i - 1}}`);
    const r = await evaluateEnvironment(lines.join("\n") + "\n", { limits: { maxDocumentBytes: 8 << 20 } });
    expect(summaries(r)[0]).toBe("references are nested more than 500 levels deep");
    expect(r.environment?.properties["v100"]?.value).toBe("start");
  });

  it("total evaluation time, including a provider that never answers", async () => {
    const providers = createPluginRegistry([{ providers: { hang: { open: () => new Promise(() => undefined) } } }]);
    const t0 = Date.now();
    const r = await evaluateEnvironment("values:\n  a: {fn::open::hang: {}}\n  b: ok\n", { providers, limits: { maxEvaluationMs: 100 } });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(summaries(r)).toEqual(["evaluation exceeded the time limit of 100 ms"]);
    expect(r.environment?.properties["b"]?.value).toBe("ok");
  });

  it("a loader that never answers", async () => {
    const r = await evaluateEnvironment("imports: [x]\n", { loader: { load: () => new Promise(() => undefined) }, limits: { maxEvaluationMs: 50 } });
    expect(summaries(r)).toEqual(["evaluation exceeded the time limit of 50 ms"]);
  });

  it("repeated references cannot build an exponentially large value", async () => {
    const lines = ["values:", "  a0: [x, x]"];
    for (let i = 1; i <= 40; i++) lines.push(`  a${i}: ["\${a${i - 1}}", "\${a${i - 1}}"]`);
    lines.push('  j: {fn::toString: "${a40}"}', '  k: "x ${a40}"', '  l: {fn::toJSON: "${a40}"}');
    const t0 = Date.now();
    const r = await evaluateEnvironment(lines.join("\n") + "\n");
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(summaries(r)).toEqual(["evaluation exceeds the maximum of 2000000 values"]);
  });

  it("interpolating a large shared value stops at the string bound", async () => {
    const lines = ["values:", "  a0: [x, x]"];
    for (let i = 1; i <= 12; i++) lines.push(`  a${i}: ["\${a${i - 1}}", "\${a${i - 1}}"]`);
    lines.push('  k: "x ${a12}"', '  l: {fn::toJSON: "${a12}"}', '  m: {fn::toString: "${a12}"}');
    const r = await evaluateEnvironment(lines.join("\n") + "\n", { limits: { maxStringLength: 1000 } });
    expect(summaries(r)).toEqual(Array(3).fill("string exceeds the maximum length of 1000"));
  });
});
