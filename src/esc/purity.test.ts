import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const HERE = dirname(fileURLToPath(import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

/** Follows the static imports of the module's entry points, returning every specifier reached. */
function reach(entries: string[]): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const src = readFileSync(file, "utf8");
    for (const m of src.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2]) as string;
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
      else bare.add(spec);
    }
  };
  entries.forEach(visit);
  return { files, bare };
}

describe("src/esc is pure", () => {
  it("reaches only the yaml package: no node:fs, node:net, store or server", () => {
    const { files, bare } = reach([join(HERE, "index.ts"), join(HERE, "plugin.ts")]);
    expect([...bare].sort()).toEqual(["yaml"]);
    for (const f of files) {
      const rel = relative(HERE, f);
      expect(rel.startsWith("..")).toBe(false);
      expect(rel.endsWith(".test.ts") || rel.startsWith("testdata")).toBe(false);
    }
    expect(files.size).toBeGreaterThan(30);
  });
});
