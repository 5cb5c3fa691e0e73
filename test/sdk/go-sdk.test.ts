import { describe, expect, test } from "vitest";
import { missingToolchain, onPath, run } from "../contract/support.js";

// The Go SDK's own suite (sdks/go, `go test`): it starts the built server (dist/) itself.
describe("Go SDK suite (go test ./... in sdks/go)", () => {
  test("passes against a real server", (ctx) => {
    if (!onPath("go")) missingToolchain(ctx, "the Go toolchain (go) is not installed: the Go SDK suite cannot run", "install Go 1.24+");
    if (!onPath("openssl")) missingToolchain(ctx, "openssl is not installed: the Go SDK's TLS test needs it", "install openssl");
    const result = run("go", ["test", "-count=1", "./..."], { cwd: "sdks/go", env: { GOFLAGS: "-mod=readonly" }, timeoutMs: 600_000 });
    expect(result.status, result.report).toBe(0);
    expect(result.stdout).toMatch(/^ok\s+github\.com\/openesc\/openesc\/sdks\/go\s/m);
  }, 620_000);
});
