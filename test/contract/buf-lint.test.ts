import { describe, expect, test } from "vitest";
import { missingFiles, missingToolchain, run } from "./support.js";

describe("proto contract: buf lint", () => {
  test("proto/ is clean under buf lint (STANDARD, see buf.yaml)", (ctx) => {
    if (missingFiles(["node_modules/.bin/buf"]).length > 0) {
      missingToolchain(ctx, "buf (npm package @bufbuild/buf) is not installed", "run `npm ci`");
    }
    const lint = run("node_modules/.bin/buf", ["lint"], { timeoutMs: 120_000 });
    expect(lint.status, lint.report).toBe(0);
  }, 150_000);
});
