import { describe, expect, it } from "vitest";
import { evaluateEnvironment, renderJson, type EnvironmentLoader, type EvaluateOptions, type ProviderRegistry } from "../../esc/index.js";
import { createEvaluationCache } from "./evaluation-cache.js";

/** An in-memory loader over `files`; `refuse` makes a name fail like a refused import. */
function loaderOver(files: Record<string, string>, refuse = new Set<string>()): EnvironmentLoader & { loads: number } {
  const loader = {
    loads: 0,
    async load(name: string) {
      loader.loads++;
      if (refuse.has(name)) throw new Error(`environment "${name}" not found`);
      const yaml = files[name];
      if (yaml === undefined) throw new Error(`environment "${name}" not found`);
      return { yaml };
    },
  };
  return loader;
}

function counting() {
  const counter = { calls: 0 };
  const evaluate = (definition: string, options: EvaluateOptions) => {
    counter.calls++;
    return evaluateEnvironment(definition, options);
  };
  return { counter, evaluate };
}

const ROOT = "imports: [base]\nvalues:\n  url: https://${host}\n  pw:\n    fn::secret: hunter2\n";
const context = (login: string) => ({ pulumi: { user: { login }, organization: { login: "acme" } } });
const render = (r: Awaited<ReturnType<typeof evaluateEnvironment>>) => (r.environment === null ? "null" : renderJson(r.environment.value, { redact: false }));
const secretFlag = (r: Awaited<ReturnType<typeof evaluateEnvironment>>) => (r.environment?.value.value as Record<string, { secret: boolean }>).pw?.secret;

describe("createEvaluationCache()", () => {
  it("answers an unchanged definition with unchanged imports without evaluating, secrets and flags kept", async () => {
    const { counter, evaluate } = counting();
    const cache = createEvaluationCache({ evaluate });
    const loader = loaderOver({ base: "values:\n  host: one\n" });
    const options: EvaluateOptions = { name: "app", mode: "open", loader, context: context("ada") };
    const first = await cache.evaluate(ROOT, options);
    const second = await cache.evaluate(ROOT, options);
    expect(counter.calls).toBe(1);
    expect(render(second)).toBe('{\n  "host": "one",\n  "pw": "hunter2",\n  "url": "https://one"\n}\n');
    expect(render(second)).toBe(render(first));
    expect(secretFlag(second)).toBe(true);
    // the hit still loaded the import once, through the caller's loader
    expect(loader.loads).toBe(2);
  });

  it("evaluates again when an import's content changed (another replica wrote it)", async () => {
    const { counter, evaluate } = counting();
    const cache = createEvaluationCache({ evaluate });
    const files = { base: "values:\n  host: one\n" };
    const options: EvaluateOptions = { name: "app", mode: "open", loader: loaderOver(files), context: context("ada") };
    await cache.evaluate(ROOT, options);
    files.base = "values:\n  host: two\n";
    const after = await cache.evaluate(ROOT, options);
    expect(counter.calls).toBe(2);
    expect(render(after)).toContain('"url": "https://two"');
  });

  it("evaluates again when an import is now refused or gone, so the caller gets the exact diagnostic", async () => {
    const { counter, evaluate } = counting();
    const cache = createEvaluationCache({ evaluate });
    const refuse = new Set<string>();
    const options: EvaluateOptions = { name: "app", mode: "open", loader: loaderOver({ base: "values:\n  host: one\n" }, refuse), context: context("ada") };
    await cache.evaluate(ROOT, options);
    refuse.add("base");
    const after = await cache.evaluate(ROOT, options);
    expect(counter.calls).toBe(2);
    expect(after.diagnostics.map((d) => [d.severity, d.summary])).toContainEqual(["error", 'environment "base" not found']);
  });

  it("keeps callers apart: another execution context or environment name is another entry", async () => {
    const { counter, evaluate } = counting();
    const cache = createEvaluationCache({ evaluate });
    const loader = loaderOver({ base: "values:\n  host: one\n" });
    const who = "values:\n  me: ${context.pulumi.user.login}\n";
    const ada = await cache.evaluate(who, { name: "app", mode: "open", loader, context: context("ada") });
    const bob = await cache.evaluate(who, { name: "app", mode: "open", loader, context: context("bob") });
    await cache.evaluate(who, { name: "other", mode: "open", loader, context: context("ada") });
    expect(counter.calls).toBe(3);
    expect(render(ada)).toBe('{\n  "me": "ada"\n}\n');
    expect(render(bob)).toBe('{\n  "me": "bob"\n}\n');
  });

  it("never stores evaluations with errors, with provider calls, or outside open mode", async () => {
    const { counter, evaluate } = counting();
    const cache = createEvaluationCache({ evaluate });
    const loader = loaderOver({});
    const broken = "imports: [missing]\nvalues:\n  a: 1\n";
    await cache.evaluate(broken, { name: "app", mode: "open", loader });
    await cache.evaluate(broken, { name: "app", mode: "open", loader });
    expect(counter.calls).toBe(2);

    const providers: ProviderRegistry = {
      provider: () => ({ inputSchema: {}, outputSchema: {}, open: async () => ({ token: "t" }) }),
      rotator: () => undefined,
    };
    const dynamic = "values:\n  creds:\n    fn::open::test: {}\n";
    await cache.evaluate(dynamic, { name: "app", mode: "open", loader, providers });
    await cache.evaluate(dynamic, { name: "app", mode: "open", loader, providers });
    expect(counter.calls).toBe(4);

    await cache.evaluate("values:\n  a: 1\n", { name: "app", mode: "check", loader });
    await cache.evaluate("values:\n  a: 1\n", { name: "app", mode: "check", loader });
    expect(counter.calls).toBe(6);
  });

  it("drops the least recently used entry beyond maxEntries", async () => {
    const { counter, evaluate } = counting();
    const cache = createEvaluationCache({ evaluate, maxEntries: 2 });
    const loader = loaderOver({});
    const def = (n: number) => `values:\n  n: ${n}\n`;
    for (const n of [1, 2, 1, 3, 1, 2]) await cache.evaluate(def(n), { name: "app", mode: "open", loader });
    // 1 miss, 2 miss, 1 hit, 3 miss (drops 2), 1 hit, 2 miss
    expect(counter.calls).toBe(4);
  });
});
