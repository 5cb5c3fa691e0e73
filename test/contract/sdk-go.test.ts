import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT, missingToolchain, onPath, run } from "./support.js";

describe("Go SDK (sdks/go)", () => {
  test("go.mod requires the runtimes that match the pinned generators", () => {
    const goMod = readFileSync(join(ROOT, "sdks/go/go.mod"), "utf8");
    const setup = readFileSync(join(ROOT, "scripts/setup-tools.sh"), "utf8");
    const pins: Array<[string, RegExp]> = [
      ["google.golang.org/protobuf", /google\.golang\.org\/protobuf\/cmd\/protoc-gen-go@(v[\d.]+)/],
      ["connectrpc.com/connect", /connectrpc\.com\/connect\/cmd\/protoc-gen-connect-go@(v[\d.]+)/],
    ];
    for (const [module, pattern] of pins) {
      const generator = pattern.exec(setup)?.[1];
      expect(generator, `pin of ${module}'s generator in scripts/setup-tools.sh`).toBeDefined();
      expect(goMod, `sdks/go/go.mod must require ${module} ${generator}`).toMatch(
        new RegExp(`\\n\\s*${module.replace(/\./g, "\\.")} ${generator}\\n`),
      );
    }
  });

  test("go build ./... and go vet ./... succeed", (ctx) => {
    if (!onPath("go")) missingToolchain(ctx, "the Go toolchain (go) is not installed", "install Go 1.24+");
    // -mod=readonly: go.mod and go.sum are committed and must already be complete.
    const env = { GOFLAGS: "-mod=readonly" };
    const build = run("go", ["build", "./..."], { cwd: "sdks/go", env, timeoutMs: 300_000 });
    expect(build.status, build.report).toBe(0);
    const vet = run("go", ["vet", "./..."], { cwd: "sdks/go", env, timeoutMs: 300_000 });
    expect(vet.status, vet.report).toBe(0);
  }, 620_000);
});
