/** Shared test fixtures: rot128 decrypter, upstream-like test providers, an in-memory loader, golden runner. */
import { evaluateEnvironment, type EvaluateOptions, type EvaluationResult } from "../evaluate.js";
import { formatDiagnostic, type Diagnostic } from "../diagnostic.js";
import type { Decrypter, EnvironmentLoader, ProviderRegistry } from "../interfaces.js";
import { jsonText } from "../json-text.js";
import { createPluginRegistry, type Plugin } from "../plugin.js";
import { plain } from "../public-value.js";
import { toPlainJson } from "../render.js";

/** The keyless decrypter of upstream tests: adds 128 to every byte. */
export const rot128: Decrypter = { decrypt: (p) => p.map((b) => (b + 128) & 255) };

/** Providers like upstream's test harness. */
export const testPlugin: Plugin = {
  providers: {
    test: { open: (inputs) => inputs },
    error: { open: () => { throw new Error("testing"); } },
    secretOut: { open: (inputs) => ({ ...(plain(inputs) as object) }) },
    schema: {
      inputSchema: { type: "object", properties: { n: { type: "number", multipleOf: 2 } }, required: ["n"] },
      outputSchema: { type: "object", properties: { pi: { type: "number" }, list: { type: "array", prefixItems: [{ type: "string" }], items: false } }, required: ["pi"] },
      open: () => ({ pi: 3.14, list: ["x"] }),
    },
  },
  rotators: {
    swap: {
      stateSchema: { type: "object", properties: { a: { type: "string" }, b: { type: "string" } }, required: ["a", "b"] },
      inputSchema: { type: "object", rotateOnly: ["admin"] },
      open: (_i, state) => plain(state),
      rotate: (_i, state) => {
        const s = plain(state) as { a: string; b: string };
        return { a: s.b, b: s.a };
      },
    },
  },
};

/** The test registry. */
export const testProviders: ProviderRegistry = createPluginRegistry([testPlugin]);

/** An in-memory loader over `files` (name → YAML); optional per-load delay. */
export function memoryLoader(files: Readonly<Record<string, string>>, delayMs = 0, calls?: string[]): EnvironmentLoader {
  return {
    async load(name, version) {
      const full = version !== undefined ? `${name}@${version}` : name;
      calls?.push(full);
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const text = files[full];
      if (text === undefined) throw new Error(`environment ${JSON.stringify(full)} not found`);
      return { yaml: text };
    },
  };
}

/** Formats diagnostics one per line with their path (golden form). */
export function diagLines(ds: readonly Diagnostic[], env: string): string[] {
  return ds.map((d) => `${formatDiagnostic(d, env)}${d.path !== undefined ? ` [${d.path}]` : ""}`);
}

/** Evaluates `env.yaml` of a file set in the given mode with the test fixtures. */
export async function run(files: Readonly<Record<string, string>>, opts: EvaluateOptions = {}): Promise<EvaluationResult> {
  return evaluateEnvironment(files["env.yaml"] ?? "", {
    name: "env", loader: memoryLoader(files), decrypter: rot128, providers: testProviders, ...opts,
  });
}

/** Compact redacted / revealed JSON text of a result's value. */
export function jsonOf(r: EvaluationResult, redact = true): string {
  return jsonText(toPlainJson(r.environment?.value ?? null, { redact }));
}

/** Evaluates YAML alone (root named `env`) and returns compact redacted JSON plus diagnostic lines. */
export async function quick(yaml: string, opts: EvaluateOptions = {}, files: Record<string, string> = {}): Promise<{ json: string; revealed: string; diags: string[]; r: EvaluationResult }> {
  const r = await run({ ...files, "env.yaml": yaml }, opts);
  return { json: jsonOf(r), revealed: jsonOf(r, false), diags: diagLines(r.diagnostics, "env"), r };
}
