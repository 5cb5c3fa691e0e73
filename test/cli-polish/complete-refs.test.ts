/**
 * Environment references in shell completion: the hidden `openesc __complete-refs` against a real
 * server, and bash's completion function calling it for REF arguments.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPENESC_BIN, startTestServer, type TestServer } from "../support/server.js";
import { requireTool } from "../support/tools.js";
import { prepare, runCli, type Bindings } from "../cli/scenario.js";

describe("completion of environment references", () => {
  let server: TestServer;
  let dir: string;
  let b: Bindings;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), "openesc-refs-"));
    b = { url: server.url, token: server.token, dir };
    env = { ...prepare({ steps: [] }, b), OPENESC_URL: server.url, OPENESC_TOKEN: server.token };
    for (const cmd of ["env init payments/dev", "env init payments/prod", "env init solo", "env set payments/dev a 1", "env version tag payments/dev@stable @1"]) {
      expect((await runCli(cmd, env, b)).exit).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("__complete-refs lists every form of each reference", async () => {
    expect(await runCli("__complete-refs", env, b)).toEqual({
      stdout: [
        "default/default/solo",
        "default/payments/dev",
        "default/payments/prod",
        "default/solo",
        "payments/dev",
        "payments/prod",
        "solo",
      ].map((l) => `${l}\n`).join(""),
      stderr: "",
      exit: 0,
    });
  });

  it("__complete-refs WORD@ lists the environment's versions, newest revision first", async () => {
    expect(await runCli("__complete-refs payments/dev@st", env, b)).toEqual({
      stdout: "payments/dev@latest\npayments/dev@stable\npayments/dev@2\npayments/dev@1\n",
      stderr: "",
      exit: 0,
    });
    expect(await runCli("__complete-refs nope/nope@", env, b)).toEqual({ stdout: "", stderr: "", exit: 0 });
  });

  it("__complete-refs prints nothing and succeeds when the server cannot answer", async () => {
    expect(await runCli("__complete-refs", { ...env, OPENESC_URL: "http://127.0.0.1:1" }, b)).toEqual({ stdout: "", stderr: "", exit: 0 });
    expect(await runCli("__complete-refs --token oesc_0123456789abcdef_nope", env, b)).toEqual({ stdout: "", stderr: "", exit: 0 });
  });

  it("is not offered as a command", async () => {
    expect((await runCli("--help", env, b)).stdout).not.toContain("__complete");
  });

  /** A directory with an `openesc` that runs this checkout's binary, for the shells to call. */
  function binDir(): string {
    mkdirSync(join(dir, "bin"), { recursive: true });
    const wrapper = join(dir, "bin", "openesc");
    writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${OPENESC_BIN}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    return join(dir, "bin");
  }

  it("bash completes REF arguments from the server", async () => {
    binDir();
    const script = join(dir, "openesc.bash");
    writeFileSync(script, execFileSync(process.execPath, [OPENESC_BIN, "completion", "bash"], { encoding: "utf8" }));
    const complete = (line: string) => {
      const words = line.split(" ").map((w) => `'${w}'`).join(" ");
      const program = `source '${script}'\nCOMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _openesc; echo "\${COMPREPLY[*]}"`;
      return execFileSync("bash", ["--norc", "--noprofile", "-c", program], { encoding: "utf8", env: { ...env, PATH: `${join(dir, "bin")}:${env.PATH ?? ""}` } }).trim();
    };
    expect(complete("openesc env get payments/")).toBe("payments/dev payments/prod");
    expect(complete("openesc env get payments/dev@s")).toBe("payments/dev@stable");
    expect(complete("openesc run so")).toBe("solo");
    expect(complete("openesc env diff payments/dev payments/p")).toBe("payments/prod");
    // the second argument of env get is a property path: nothing from the server
    expect(complete("openesc env get payments/dev pay")).toBe("");
    // a new environment's name is not completed
    expect(complete("openesc env init pay")).toBe("");
  });

  const fish = requireTool("fish");
  it.skipIf(fish === undefined)("fish completes REF arguments and versions from the server", () => {
    const script = join(dir, "openesc.fish");
    writeFileSync(script, execFileSync(process.execPath, [OPENESC_BIN, "completion", "fish"], { encoding: "utf8" }));
    const complete = (line: string) =>
      execFileSync(fish as string, ["--no-config", "-c", `source '${script}'; complete -C'${line}'`], { encoding: "utf8", env: { ...env, PATH: `${binDir()}:${env.PATH ?? ""}` } })
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.split("\t")[0]);
    expect(complete("openesc env get payments/p")).toEqual(["payments/prod"]);
    expect(complete("openesc run payments/dev@")).toEqual(["payments/dev@1", "payments/dev@2", "payments/dev@latest", "payments/dev@stable"]);
  });
});
