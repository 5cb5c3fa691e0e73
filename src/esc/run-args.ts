import { scanString, type Accessor } from "./interpolation.js";
import type { Value } from "./public-value.js";
import { valueToString } from "./render.js";

function walk(root: Value | null | undefined, access: readonly Accessor[]): Value | undefined {
  let v: Value | undefined = root ?? undefined;
  for (const a of access) {
    if (!v || v.value === null) return undefined;
    if (a.kind === "index") {
      if (v.kind !== "array") return undefined;
      v = (v.value as readonly Value[])[a.index];
    } else {
      if (v.kind !== "object") return undefined;
      const o = v.value as Readonly<Record<string, Value>>;
      v = Object.prototype.hasOwnProperty.call(o, a.name) ? o[a.name] : undefined;
    }
  }
  return v;
}

/**
 * Selects a sub-value by property path (`a.b[0]["c.d"]`, the syntax inside `${…}`), as `esc env get ENV PATH` does.
 * Returns undefined for a malformed or missing path.
 */
export function selectPath(root: Value | null | undefined, path: string): Value | undefined {
  const s = scanString("${" + path + "}");
  const only = s.parts[0];
  if (s.errors.length > 0 || s.parts.length !== 1 || !only || only.text !== "" || !only.access) return undefined;
  return walk(root, only.access);
}

/**
 * `esc run` argument interpolation (esc-language.md §18.5): `${path}` parts become the unredacted `string` rendering of
 * that path (nothing when missing); arguments with parse errors pass unchanged; `$$` becomes `$` everywhere else.
 * Returns the new arguments and the secret strings they revealed (for output filtering).
 */
export function interpolateArgs(args: readonly string[], root: Value | null | undefined): { args: string[]; secrets: string[] } {
  const secrets: string[] = [];
  const out = args.map((arg) => {
    const s = scanString(arg);
    if (s.errors.length > 0) return arg;
    return s.parts.map((p) => {
      if (!p.access) return p.text;
      const v = walk(root, p.access);
      if (!v) return p.text;
      const text = valueToString(v, { redact: false });
      if (v.secret) secrets.push(text);
      return p.text + text;
    }).join("");
  });
  return { args: out, secrets };
}

/** Replaces every occurrence of a secret of at least 3 bytes by `[secret]` (`esc run` output filtering). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  const list = [...new Set(secrets)].filter((s) => new TextEncoder().encode(s).length >= 3).sort((a, b) => b.length - a.length);
  for (const s of list) out = out.split(s).join("[secret]");
  return out;
}
