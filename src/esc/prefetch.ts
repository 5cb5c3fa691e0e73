import type { Declaration } from "./expr.js";
import type { EnvironmentLoader } from "./interfaces.js";
import type { Limits } from "./limits.js";
import { parseDefinition, type ParsedDefinition } from "./parse-declaration.js";
import type { Fetched } from "./session.js";

/** Splits `name@version` at the last `@` (§3.2). */
export function splitVersion(ref: string): [string, string | undefined] {
  const at = ref.lastIndexOf("@");
  return at > 0 ? [ref.slice(0, at), ref.slice(at + 1)] : [ref, undefined];
}

function namesOf(d: Declaration): string[] {
  return [...d.imports.map((i) => i.name), ...d.environmentRefs];
}

/**
 * Loads every environment reachable from `root` through imports and inline references, concurrently: each loaded
 * definition is parsed as soon as it arrives and its own references are requested at once. At most
 * `limits.maxImports` names are loaded. Never rejects.
 */
export async function prefetch(
  root: Declaration,
  rootName: string,
  loader: EnvironmentLoader | undefined,
  limits: Limits,
  parseCache: Map<string, ParsedDefinition>,
): Promise<Map<string, Fetched>> {
  const fetched = new Map<string, Fetched>();
  const requested = new Set<string>([rootName]);
  const inflight = new Set<Promise<void>>();
  const decoder = new TextDecoder();
  const request = (name: string): void => {
    if (requested.has(name) || requested.size > limits.maxImports) return;
    requested.add(name);
    const p = (async () => {
      if (!loader) { fetched.set(name, { error: `environment ${JSON.stringify(name)} not found` }); return; }
      const [n, v] = splitVersion(name);
      try {
        const def = await loader.load(n, v);
        const text = typeof def.yaml === "string" ? def.yaml : decoder.decode(def.yaml);
        fetched.set(name, def.decrypter ? { text, decrypter: def.decrypter } : { text });
        const parsed = parseDefinition(text, name, limits);
        parseCache.set(name, parsed);
        if (parsed.declaration) for (const child of namesOf(parsed.declaration)) request(child);
      } catch (e) {
        fetched.set(name, { error: e instanceof Error ? e.message : String(e) });
      }
    })();
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  for (const n of namesOf(root)) request(n);
  while (inflight.size > 0) await Promise.all([...inflight]);
  return fetched;
}
