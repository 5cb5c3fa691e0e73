/** `openesc stack env ls --output json` prints what `--json` prints (every listing takes --output json). */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prepare, runCli, type Bindings } from "../cli/scenario.js";

describe("openesc stack env ls --output", () => {
  const dir = mkdtempSync(join(tmpdir(), "openesc-stack-ls-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\n");
  writeFileSync(join(dir, "Pulumi.dev.yaml"), "environment:\n  - payments/base\n  - payments/dev\n");
  // a local command: no server is needed
  const b: Bindings = { url: "http://127.0.0.1:1", token: "unused", dir };
  const env = prepare({ steps: [] }, b);

  it("json: the JSON array --json prints", async () => {
    const json = '[\n  "payments/base",\n  "payments/dev"\n]\n';
    expect(await runCli(["stack", "env", "ls", "--cwd", dir, "--stack", "dev", "--output", "json"], env, b)).toEqual({ stdout: json, stderr: "", exit: 0 });
    expect(await runCli(["stack", "env", "ls", "--cwd", dir, "--stack", "dev", "--json"], env, b)).toEqual({ stdout: json, stderr: "", exit: 0 });
  });

  it("table (the default): one name per line", async () => {
    expect(await runCli(["stack", "env", "ls", "--cwd", dir, "--stack", "dev", "-o", "table"], env, b)).toEqual({ stdout: "payments/base\npayments/dev\n", stderr: "", exit: 0 });
  });
});
