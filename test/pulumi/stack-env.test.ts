import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { addStackEnvironments, removeStackEnvironment, stackEnvironments, StackEditError } from "../../src/pulumi/stack-environment-edit.js";
import { cliEnv, runCli } from "./support/cli.js";

// `openesc stack env add|rm|ls`: the stack file is edited in place, byte for byte only where it must.

const COMMENTED = `# Stack settings for dev.
# Keep this list short.
environment:
  - payments/base    # shared settings
  - payments/dev     # the dev overrides

config:
  # the region comes from the environment
  shop:replicas: "2"   # quoted on purpose
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function project(stackFile?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "openesc-stack-env-"));
  dirs.push(dir);
  writeFileSync(join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\n");
  if (stackFile !== undefined) writeFileSync(join(dir, "Pulumi.dev.yaml"), stackFile);
  return dir;
}

const env = () => cliEnv({}, mkdtempSync(join(tmpdir(), "openesc-home-")));

describe("openesc stack env (real binary)", () => {
  it("add appends after the last entry, keeping every comment and blank line", async () => {
    const dir = project(COMMENTED);
    const run = await runCli(["stack", "env", "add", "--cwd", dir, "--stack", "dev", "aws/dev@stable", "flags"], env());
    expect(run).toMatchObject({ code: 0, stdout: "", stderr: `added aws/dev@stable, flags to ${join(dir, "Pulumi.dev.yaml")}\n` });
    expect(readFileSync(join(dir, "Pulumi.dev.yaml"), "utf8")).toBe(`# Stack settings for dev.
# Keep this list short.
environment:
  - payments/base    # shared settings
  - payments/dev     # the dev overrides
  - aws/dev@stable
  - flags

config:
  # the region comes from the environment
  shop:replicas: "2"   # quoted on purpose
`);
  });

  it("rm removes exactly the entry's line", async () => {
    const dir = project(COMMENTED);
    const run = await runCli(["stack", "env", "rm", "--cwd", dir, "--stack", "dev", "payments/base"], env());
    expect(run).toMatchObject({ code: 0, stdout: "" });
    expect(readFileSync(join(dir, "Pulumi.dev.yaml"), "utf8")).toBe(`# Stack settings for dev.
# Keep this list short.
environment:
  - payments/dev     # the dev overrides

config:
  # the region comes from the environment
  shop:replicas: "2"   # quoted on purpose
`);
  });

  it("ls lists the imports in merge order (text and --json)", async () => {
    const dir = project(COMMENTED);
    expect(await runCli(["stack", "env", "ls", "--cwd", dir, "--stack", "dev"], env())).toMatchObject({ code: 0, stdout: "payments/base\npayments/dev\n", stderr: "" });
    expect(await runCli(["stack", "env", "ls", "--cwd", dir, "--stack", "dev", "--json"], env())).toMatchObject({ code: 0, stdout: '[\n  "payments/base",\n  "payments/dev"\n]\n' });
  });

  it("add appends a name already imported, as Pulumi does; rm takes its last occurrence and refuses an unknown one", async () => {
    const dir = project(COMMENTED);
    const path = join(dir, "Pulumi.dev.yaml");
    expect(await runCli(["stack", "env", "add", "--cwd", dir, "--stack", "dev", "payments/base"], env())).toMatchObject({ code: 0 });
    expect(await runCli(["stack", "env", "ls", "--cwd", dir, "--stack", "dev"], env())).toMatchObject({ stdout: "payments/base\npayments/dev\npayments/base\n" });
    expect(await runCli(["stack", "env", "rm", "--cwd", dir, "--stack", "dev", "payments/base"], env())).toMatchObject({ code: 0 });
    expect(readFileSync(path, "utf8")).toBe(COMMENTED);
    expect(await runCli(["stack", "env", "rm", "--cwd", dir, "--stack", "dev", "payments/none"], env())).toMatchObject({
      code: 1,
      stderr: `error: ${path}: environment "payments/none" is not imported by the stack\n`,
    });
    expect(readFileSync(path, "utf8")).toBe(COMMENTED);
  });

  it("add creates the stack file when there is none", async () => {
    const dir = project();
    expect(await runCli(["stack", "env", "add", "--cwd", dir, "--stack", "dev", "payments/dev"], env())).toMatchObject({ code: 0 });
    expect(readFileSync(join(dir, "Pulumi.dev.yaml"), "utf8")).toBe("environment:\n  - payments/dev\n");
  });
});

describe("stack file edits", () => {
  it("appends `environment:` to a file without one", () => {
    expect(addStackEnvironments("config:\n  shop:a: b # note\n", ["payments/dev"])).toBe("config:\n  shop:a: b # note\nenvironment:\n  - payments/dev\n");
    expect(addStackEnvironments("config: {}", ["x"])).toBe("config: {}\nenvironment:\n  - x\n");
  });

  it("edits a flow list in place", () => {
    const text = "environment: [a, b]  # both\nconfig: {}\n";
    expect(addStackEnvironments(text, ["c"])).toBe("environment: [a, b, c]  # both\nconfig: {}\n");
    expect(removeStackEnvironment(text, "a")).toBe("environment: [b]  # both\nconfig: {}\n");
    expect(removeStackEnvironment(text, "b")).toBe("environment: [a]  # both\nconfig: {}\n");
  });

  it("edits the imports: of an inline definition", () => {
    const text = "environment:\n  imports:\n    - base   # first\n  values:\n    pulumiConfig: {a: b}\n";
    expect(stackEnvironments(text)).toEqual(["base"]);
    expect(addStackEnvironments(text, ["dev@3"])).toBe("environment:\n  imports:\n    - base   # first\n    - dev@3\n  values:\n    pulumiConfig: {a: b}\n");
  });

  it("adds `imports:` first to an inline definition without one, and removes it with its last entry", () => {
    const text = "environment:\n  values:\n    pulumiConfig: {a: b}\n";
    const added = addStackEnvironments(text, ["base"]);
    expect(added).toBe("environment:\n  imports:\n    - base\n  values:\n    pulumiConfig: { a: b }\n");
    expect(removeStackEnvironment("environment:\n  imports:\n    - base # one\n  values:\n    pulumiConfig: {a: b}\n", "base")).toBe("environment:\n  values:\n    pulumiConfig: {a: b}\n");
  });

  it("removes `environment:` with its last entry, and nothing else", () => {
    const text = "# top\nenvironment:\n  - only   # the one\nconfig:\n  shop:a: b\n";
    expect(removeStackEnvironment(text, "only")).toBe("# top\nconfig:\n  shop:a: b\n");
    expect(removeStackEnvironment("config: {}\nenvironment:\n  - only\n", "only")).toBe("config: {}\n");
  });

  it("quotes a name that YAML would read otherwise", () => {
    expect(addStackEnvironments("environment:\n  - a\n", ["#odd"])).toBe('environment:\n  - a\n  - "#odd"\n');
    expect(stackEnvironments(addStackEnvironments("environment:\n  - a\n", ["#odd"]))).toEqual(["a", "#odd"]);
  });

  it("refuses a stack file that is not YAML, or an environment: of another shape", () => {
    expect(() => stackEnvironments("environment: [a\n")).toThrow(StackEditError);
    expect(() => stackEnvironments("environment: payments/dev\n")).toThrow("environment: must be a list of environment names or a definition with an imports: list");
  });
});

it("the stack file of a missing project is reported", async () => {
  const dir = mkdtempSync(join(tmpdir(), "openesc-empty-"));
  dirs.push(dir);
  const run = await runCli(["stack", "env", "ls", "--cwd", dir, "--stack", "dev"], env());
  expect(run).toMatchObject({ code: 1, stderr: `error: no Pulumi.yaml project file found in ${dir} or above\n` });
  expect(existsSync(join(dir, "Pulumi.dev.yaml"))).toBe(false);
});
