/**
 * There is no Docker engine in CI, so the image is never built here. These static checks catch the
 * drift that would break `docker build` first: a copied path that no longer exists or that
 * .dockerignore keeps out of the build context.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT } from "./support.js";

const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8").replace(/\\\n/g, " ");
const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));

/** Sources of `COPY` instructions that read from the build context (not `--from=` a stage). */
function contextSources(): string[] {
  const sources: string[] = [];
  for (const line of dockerfile.split("\n")) {
    const m = /^\s*COPY\s+(.*)$/i.exec(line);
    if (m === null) continue;
    const words = m[1]!.trim().split(/\s+/);
    if (words.some((w) => w.startsWith("--from"))) continue;
    const args = words.filter((w) => !w.startsWith("--"));
    sources.push(...args.slice(0, -1));
  }
  return sources;
}

/** True when a plain (glob-free) .dockerignore entry excludes `path` or one of its parents. */
function isIgnored(path: string): boolean {
  const clean = path.replace(/^\.\//, "").replace(/\/$/, "");
  return ignored.some((pattern) => {
    if (/[*?[]/.test(pattern)) return false;
    const p = pattern.replace(/^\//, "").replace(/\/$/, "");
    return clean === p || clean.startsWith(`${p}/`);
  });
}

describe("Dockerfile", () => {
  test("every path copied from the build context exists and is not in .dockerignore", () => {
    const sources = contextSources();
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((s) => !existsSync(join(ROOT, s))), "missing in the repository").toEqual([]);
    expect(sources.filter(isIgnored), "excluded by .dockerignore").toEqual([]);
  });

  test("runs the one binary as a non-root user with /data as its volume", () => {
    const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile);
    expect(cmd).not.toBeNull();
    const argv = JSON.parse(cmd![1]!) as string[];
    expect(argv.slice(0, 3)).toEqual(["node", "bin/openesc.js", "serve"]);
    expect(existsSync(join(ROOT, argv[1]!))).toBe(true);
    expect(dockerfile).toMatch(/^USER\s+(?!root\b|0\b)\S+/m);
    expect(dockerfile).toMatch(/^VOLUME\s+\/data\b/m);
    expect(dockerfile).toMatch(/OPENESC_DATA_DIR=\/data\b/);
    expect(dockerfile).toMatch(/^HEALTHCHECK\b.*\/healthz/m);
  });
});
