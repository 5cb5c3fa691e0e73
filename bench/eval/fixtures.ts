/** Benchmark fixtures for the evaluator (issue 3 §9): generated definitions, loaders and providers. */
import { createPluginRegistry, sealEnvelope, type Decrypter, type EnvironmentLoader, type ProviderRegistry } from "../../src/esc/index.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The keyless test decrypter (adds 128 to each byte). */
export const rot128: Decrypter = { decrypt: (p) => p.map((b) => (b + 128) & 255) };

/** A loader over an in-memory file set, delaying each load by `delayMs` (0 = resolve at once). */
export function loaderOf(files: Readonly<Record<string, string>>, delayMs: number): EnvironmentLoader {
  return {
    async load(name) {
      if (delayMs > 0) await sleep(delayMs);
      const yaml = files[name];
      if (yaml === undefined) throw new Error(`environment "${name}" not found`);
      return { yaml };
    },
  };
}

/** A registry with one provider `delay` that returns its inputs after `delayMs`. */
export function providersOf(delayMs: number): ProviderRegistry {
  return createPluginRegistry([{
    providers: {
      delay: { open: async (inputs) => { if (delayMs > 0) await sleep(delayMs); return inputs; } },
    },
  }]);
}

/** Case (a)/(b): 26 imported environments, each with a ciphertext secret, an env var and a config entry, plus 10 provider opens. */
export function importsCase(): { root: string; files: Record<string, string> } {
  const files: Record<string, string> = {};
  const names: string[] = [];
  for (let i = 0; i < 26; i++) {
    const name = `team/env${String.fromCharCode(97 + i)}`;
    names.push(name);
    const ct = sealEnvelope(new TextEncoder().encode(`secret-${i}`).map((b) => (b + 128) & 255));
    files[name] = [
      "values:",
      `  secret${i}: {fn::secret: {ciphertext: ${ct}}}`,
      "  environmentVariables:",
      `    VAR_${i}: \${secret${i}}`,
      "  pulumiConfig:",
      `    app:key${i}: value-${i}`,
      "",
    ].join("\n");
  }
  const opens = Array.from({ length: 10 }, (_, j) => `  cred${j}: {fn::open::delay: {id: ${j}, region: us-east-1}}`);
  const root = `imports:\n${names.map((n) => `  - ${n}`).join("\n")}\nvalues:\n${opens.join("\n")}\n  environmentVariables:\n    FIRST: \${cred0.region}\n`;
  return { root, files };
}

/** Case (c): 10,000 values over 3 import levels, 2,000 of them interpolations. */
export function largeCase(): { root: string; files: Record<string, string> } {
  const level = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `  ${prefix}${i}: value-${prefix}-${i}`);
  const l2 = `values:\n${level("c", 4000).join("\n")}\n`;
  const l1 = `imports: [level2]\nvalues:\n${level("b", 3000).join("\n")}\n`;
  const interps = Array.from({ length: 2000 }, (_, i) => `  r${i}: "\${c${i}}/\${b${i % 3000}}"`);
  const root = `imports: [level1]\nvalues:\n${level("a", 1000).join("\n")}\n${interps.join("\n")}\n`;
  return { root, files: { level1: l1, level2: l2 } };
}

/** Case (d): a definition of about 1 MiB mixing objects, lists, strings, numbers and references. */
export function megabyteDefinition(): string {
  const parts: string[] = ["values:"];
  let size = 8;
  for (let i = 0; size < 1024 * 1024; i++) {
    const block = [
      `  svc${i}:`,
      `    name: service-number-${i}`,
      `    port: ${8000 + (i % 1000)}`,
      `    enabled: ${i % 2 === 0}`,
      `    tags: [alpha, beta, "gamma-${i}"]`,
      `    url: "https://svc${i}.example.com:\${svc${i}.port}/path"`,
      `    owner: \${svc${Math.max(0, i - 1)}.name}`,
      `    description: "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor ${i}"`,
    ].join("\n");
    parts.push(block);
    size += block.length + 1;
  }
  return parts.join("\n") + "\n";
}
