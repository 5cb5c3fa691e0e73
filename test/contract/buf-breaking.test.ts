import { describe, expect, test } from "vitest";
import { missingFiles, missingToolchain, run } from "./support.js";

describe("proto contract: buf breaking", () => {
  test("no breaking change (FILE rules) against the previous commit", (ctx) => {
    if (missingFiles(["node_modules/.bin/buf"]).length > 0) {
      missingToolchain(ctx, "buf (npm package @bufbuild/buf) is not installed", "run `npm ci`");
    }
    // A fresh or shallow clone may have no parent commit, and the parent may predate proto/.
    const previous = run("git", ["rev-parse", "--verify", "--quiet", "HEAD~1^{commit}"]);
    if (previous.status !== 0) {
      console.warn("\n*** buf breaking SKIPPED: there is no previous commit (HEAD~1) to compare with ***\n");
      return ctx.skip("no previous commit");
    }
    const hasProto = run("git", ["cat-file", "-e", "HEAD~1:proto"]);
    if (hasProto.status !== 0) {
      console.warn("\n*** buf breaking SKIPPED: the previous commit (HEAD~1) has no proto/ directory ***\n");
      return ctx.skip("HEAD~1 has no proto/");
    }
    const breaking = run("node_modules/.bin/buf", ["breaking", "--against", ".git#ref=HEAD~1"], {
      timeoutMs: 180_000,
    });
    expect(breaking.status, breaking.report).toBe(0);
  }, 200_000);
});
