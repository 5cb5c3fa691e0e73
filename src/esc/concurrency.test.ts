import { describe, expect, it } from "vitest";
import { evaluateEnvironment } from "./evaluate.js";
import { createPluginRegistry } from "./plugin.js";
import { plain } from "./public-value.js";
import { diagLines, jsonOf, memoryLoader } from "./testdata/harness.js";
import type { EnvironmentLoader } from "./interfaces.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function fixture(delay: (name: string) => number) {
  let inFlight = 0;
  let maxInFlight = 0;
  const calls: string[] = [];
  const track = async <T>(name: string, f: () => T): Promise<T> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    calls.push(name);
    await sleep(delay(name));
    inFlight--;
    return f();
  };
  const providers = createPluginRegistry([{
    providers: {
      slow: { open: (i) => track(`open:${String((plain(i) as { id: unknown }).id)}`, () => ({ id: (plain(i) as { id: unknown }).id, at: "x" })) },
      fail: { open: (i) => track(`fail:${String((plain(i) as { id: unknown }).id)}`, () => { throw new Error(`boom ${String((plain(i) as { id: unknown }).id)}`); }) },
    },
  }]);
  const files: Record<string, string> = {};
  for (let i = 0; i < 5; i++) files[`imp${i}`] = `values:\n  v${i}: {fn::open::slow: {id: i${i}}}\n  shared: ${i}\n`;
  const inner = memoryLoader(files);
  const loader: EnvironmentLoader = { load: (n, v) => track(`load:${n}`, () => inner.load(n, v)).then((p) => p) };
  return { providers, loader, calls, stats: () => maxInFlight };
}

const ROOT = "imports: [imp0, imp1, imp2, imp3, imp4]\nvalues:\n" +
  Array.from({ length: 10 }, (_, i) => `  p${i}: {fn::open::slow: {id: ${i}}}\n`).join("") +
  "  dep: {fn::open::slow: {id: \"${p3.id}-dep\"}}\n  f: {fn::open::fail: {id: 1}}\n  g: {fn::open::fail: {id: 2}}\n";

describe("concurrent loads and provider opens", () => {
  it("runs independent loads and opens concurrently", async () => {
    const fx = fixture(() => 40);
    const t0 = Date.now();
    const r = await evaluateEnvironment(ROOT, { name: "env", providers: fx.providers, loader: fx.loader });
    const wall = Date.now() - t0;
    expect(fx.stats()).toBeGreaterThanOrEqual(10);
    // loads (1 wave) + root/import opens (1 wave) + dependent open (1 wave); sequential would be 18 × 40 ms
    expect(wall).toBeLessThan(400);
    expect(jsonOf(r)).toContain('"dep":{"at":"x","id":"3-dep"}');
  });

  it("gives results and diagnostics identical to a zero-delay evaluation, whatever the completion order", async () => {
    const base = await evaluateEnvironment(ROOT, { name: "env", ...(({ providers, loader }) => ({ providers, loader }))(fixture(() => 0)) });
    for (let seed = 1; seed <= 3; seed++) {
      const fx = fixture((n) => ((n.length * 7 + seed * 13) % 5) * 5);
      const r = await evaluateEnvironment(ROOT, { name: "env", providers: fx.providers, loader: fx.loader });
      expect(jsonOf(r, false)).toBe(jsonOf(base, false));
      expect(diagLines(r.diagnostics, "env")).toEqual(diagLines(base.diagnostics, "env"));
    }
    expect(diagLines(base.diagnostics, "env")).toEqual(["env:14:7: error: boom 1 [values.f]", "env:15:7: error: boom 2 [values.g]"]);
  });

  it("calls each provider once per call site", async () => {
    const fx = fixture(() => 1);
    await evaluateEnvironment(ROOT, { name: "env", providers: fx.providers, loader: fx.loader });
    const opens = fx.calls.filter((c) => c.startsWith("open:"));
    expect(opens.length).toBe(new Set(opens).size);
    expect(opens.length).toBe(16);
  });
});
