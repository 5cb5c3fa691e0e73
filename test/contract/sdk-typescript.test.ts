import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT, missingFiles, missingToolchain, run } from "./support.js";

describe("TypeScript SDK (@openesc/sdk)", () => {
  test("src/index.ts re-exports every generated file", () => {
    const gen = "sdks/typescript/src/gen/openesc/v1";
    const index = readFileSync(join(ROOT, "sdks/typescript/src/index.ts"), "utf8");
    const files = readdirSync(join(ROOT, gen)).filter((f) => f.endsWith("_pb.ts")).sort();
    expect(files.length).toBeGreaterThan(0);
    const notExported = files.filter(
      (f) => !index.includes(`export * from "./gen/openesc/v1/${f.replace(/\.ts$/, ".js")}";`),
    );
    expect(notExported, "add these to sdks/typescript/src/index.ts").toEqual([]);
  });

  test("compiles with its own tsconfig (tsc -p sdks/typescript)", (ctx) => {
    if (missingFiles(["node_modules/.bin/tsc"]).length > 0) {
      missingToolchain(ctx, "typescript is not installed", "run `npm ci`");
    }
    const tsc = run("node_modules/.bin/tsc", ["-p", "sdks/typescript", "--noEmit"], { timeoutMs: 180_000 });
    expect(tsc.status, tsc.report).toBe(0);
  }, 200_000);
});
