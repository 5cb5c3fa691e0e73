/**
 * `env open`, `env get --value` and `run` through the real binary (dist/, built by
 * `npx tsc -p tsconfig.build.json`) against a real server (esc-language.md §18.4–§18.5).
 * Each CLI run gets its own TMPDIR, so the temp files it writes (or removes) can be checked.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { clientFor } from "../support/clients.js";
import { OPENESC_BIN, REPO_ROOT, startTestServer, type TestServer } from "../support/server.js";

if (!existsSync(join(REPO_ROOT, "dist/src/cli/commands/env-open.js"))) {
  throw new Error("dist/ has no env open: run `npx tsc -p tsconfig.build.json` before the CLI tests");
}

const DEV = `values:
  secret: { fn::secret: hunter2 }
  flag: true
  pi: 3.14
  nothing: null
  db: { host: db.internal, port: 5432 }
  environmentVariables:
    SECRET: \${secret}
    FLAG: \${flag}
    PI: \${pi}
    EMPTY: \${nothing}
    LIST: [a, b]
    JSON: { fn::toJSON: { a: "x" } }
  files:
    CONFIG: |
      token=\${secret}
`;

let server: TestServer;
let home: string;

beforeAll(async () => {
  server = await startTestServer();
  home = mkdtempSync(join(tmpdir(), "openesc-open-cli-"));
  const environments = clientFor(EnvironmentService, "connect", server.url, server.token);
  const create = (environment: string, definition: string) => environments.createEnvironment({ org: "default", project: "open", environment, definition });
  await create("dev", DEV);
  await create("small", 'values:\n  a: { fn::secret: s3cret }\n  n: { fn::fromJSON: "1.50" }\n');
  await create("warn", "foo: 1\nvalues:\n  x: y\n");
  await create("base", "values:\n  a: 1\n");
  await create("broken", "imports:\n  - open/base\nvalues:\n  b: ${a}\n");
  await environments.deleteEnvironment({ org: "default", project: "open", environment: "base" });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (home !== undefined) rmSync(home, { recursive: true, force: true });
});

interface Outcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: number;
  /** The esc-* files left in this run's TMPDIR, with their content and mode. */
  readonly files: { name: string; content: string; mode: number }[];
}

function environment(tmp: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, OPENESC_HOME: join(home, ".openesc"), OPENESC_URL: server.url, OPENESC_TOKEN: server.token, TMPDIR: tmp, LANG: "C.UTF-8", ...extra };
}

function leftFiles(tmp: string): Outcome["files"] {
  return readdirSync(tmp)
    .filter((n) => n.startsWith("esc-"))
    .map((name) => ({ name, content: readFileSync(join(tmp, name), "utf8"), mode: statSync(join(tmp, name)).mode & 0o777 }));
}

/** Replaces this run's TMPDIR by {tmp} and temp file names by esc-XXXX. */
function normalise(text: string, tmp: string): string {
  return text.replaceAll(tmp, "{tmp}").replace(/esc-[0-9a-f]{12}/g, "esc-XXXX");
}

async function cli(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  const tmp = mkdtempSync(join(home, "tmp-"));
  const child = spawn(process.execPath, [OPENESC_BIN, ...args], { env: environment(tmp, extraEnv), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  const exit = await new Promise<number>((resolve) => child.on("close", (code, signal) => resolve(code ?? (signal === null ? -1 : 128))));
  const files = leftFiles(tmp).map((f) => ({ ...f, name: normalise(f.name, tmp) }));
  return { stdout: normalise(stdout, tmp), stderr: normalise(stderr, tmp), exit, files };
}

const OPEN_JSON = `{
  "db": {
    "host": "db.internal",
    "port": 5432
  },
  "environmentVariables": {
    "EMPTY": null,
    "FLAG": true,
    "JSON": "{\\"a\\":\\"x\\"}",
    "LIST": [
      "a",
      "b"
    ],
    "PI": 3.14,
    "SECRET": "hunter2"
  },
  "files": {
    "CONFIG": "token=hunter2\\n"
  },
  "flag": true,
  "nothing": null,
  "pi": 3.14,
  "secret": "hunter2"
}
`;

const OPEN_YAML = `db:
   host: db.internal
   port: 5432
environmentVariables:
   EMPTY: null
   FLAG: true
   JSON: '{"a":"x"}'
   LIST:
      - a
      - b
   PI: 3.14
   SECRET: hunter2
files:
   CONFIG: |
      token=hunter2
flag: true
nothing: null
pi: 3.14
secret: hunter2
`;

const STRING = (secret: string, file: string) =>
  `"db"="\\"host\\"=\\"db.internal\\",\\"port\\"=\\"5432\\"","environmentVariables"="\\"EMPTY\\"=\\"\\",\\"FLAG\\"=\\"true\\",\\"JSON\\"=\\"{\\\\\\"a\\\\\\"` +
  `:\\\\\\"x\\\\\\"}\\",\\"LIST\\"=\\"\\\\\\"a\\\\\\",\\\\\\"b\\\\\\"\\",\\"PI\\"=\\"3.14\\",\\"SECRET\\"=\\"${secret}\\"","files"="\\"CONFIG\\"=\\"${file}\\"",` +
  `"flag"="true","nothing"="","pi"="3.14","secret"="${secret}"\n`;

const DOTENV = (secret: string, config: string) => `EMPTY=""\nFLAG="true"\nJSON="{\\"a\\":\\"x\\"}"\nPI="3.14"\nSECRET="${secret}"\nCONFIG="${config}"\n`;

describe("openesc env open", () => {
  it("prints json by default, secrets shown", async () => {
    expect(await cli(["env", "open", "open/dev"])).toEqual({ stdout: OPEN_JSON, stderr: "", exit: 0, files: [] });
  });

  it("prints yaml with 3-space indentation", async () => {
    expect(await cli(["env", "open", "open/dev", "-f", "yaml"])).toEqual({ stdout: OPEN_YAML, stderr: "", exit: 0, files: [] });
  });

  it("prints string", async () => {
    expect(await cli(["env", "open", "open/dev", "--format", "string"])).toEqual({ stdout: STRING("hunter2", "token=hunter2\\\\n"), stderr: "", exit: 0, files: [] });
  });

  it("prints detailed with the secret flags", async () => {
    const o = await cli(["env", "open", "default/open/small", "-f", "detailed"]);
    expect(o).toEqual({
      stdout: `{
  "value": {
    "a": {
      "value": "s3cret",
      "secret": true,
      "trace": {}
    },
    "n": {
      "value": 1.50,
      "trace": {}
    }
  },
  "trace": {}
}
`,
      stderr: "",
      exit: 0,
      files: [],
    });
  });

  it("keeps a number's decimal text in yaml", async () => {
    expect(await cli(["env", "open", "open/small", "-f", "yaml"])).toEqual({ stdout: "a: s3cret\nn: 1.50\n", stderr: "", exit: 0, files: [] });
  });

  it("writes files for dotenv and shell and leaves them in place (0600)", async () => {
    const file = { name: "esc-XXXX", content: "token=hunter2\n", mode: 0o600 };
    expect(await cli(["env", "open", "open/dev", "-f", "dotenv"])).toEqual({ stdout: DOTENV("hunter2", "{tmp}/esc-XXXX"), stderr: "", exit: 0, files: [file] });
    const shell = await cli(["env", "open", "open/dev@latest", "-f", "shell"]);
    expect(shell).toEqual({ stdout: DOTENV("hunter2", "{tmp}/esc-XXXX").replace(/^/gm, "export ").replace(/export $/, ""), stderr: "", exit: 0, files: [file] });
  });

  it("prints the value at a path, null when it does not exist", async () => {
    expect(await cli(["env", "open", "open/dev", "db.port"])).toMatchObject({ stdout: "5432\n", stderr: "", exit: 0 });
    expect(await cli(["env", "open", "open/dev", "files.CONFIG", "-f", "string"])).toMatchObject({ stdout: "token=hunter2\n", exit: 0 });
    expect(await cli(["env", "open", "open/dev", 'environmentVariables["LIST"][1]', "-f", "yaml"])).toMatchObject({ stdout: "b\n", exit: 0 });
    expect(await cli(["env", "open", "open/dev", "db.nope"])).toEqual({ stdout: "null\n", stderr: "", exit: 0, files: [] });
  });

  it("refuses dotenv and shell with a path, and a malformed path", async () => {
    expect(await cli(["env", "open", "open/dev", "db", "-f", "dotenv"])).toEqual({
      stdout: "",
      stderr: "error: output format 'dotenv' may not be used with a property path\n",
      exit: 2,
      files: [],
    });
    expect(await cli(["env", "open", "open/dev", "db[", "-f", "json"])).toMatchObject({ stderr: 'error: invalid path "db[" at column 3: missing "]"\n', exit: 2 });
  });

  it("opens a session for -l, and checks the duration", async () => {
    expect(await cli(["env", "open", "open/dev", "-l", "2h", "-f", "dotenv"])).toMatchObject({ stdout: DOTENV("hunter2", "{tmp}/esc-XXXX"), stderr: "", exit: 0 });
    expect(await cli(["env", "open", "open/dev", "secret", "--lifetime", "90s"])).toMatchObject({ stdout: '"hunter2"\n', exit: 0 });
    expect(await cli(["env", "open", "open/dev", "-l", "2d"])).toMatchObject({ stderr: 'error: invalid --lifetime "2d": expected a duration such as 30m, 2h or 1h30m\n', exit: 2 });
    expect(await cli(["env", "open", "open/dev", "-l", "25h"])).toMatchObject({ stderr: "error: duration: must be between 1s and 24h\n", exit: 1 });
  });

  it("prints warnings on stderr and errors as ENV:LINE:COLUMN lines", async () => {
    expect(await cli(["env", "open", "open/warn"])).toEqual({
      stdout: '{\n  "x": "y"\n}\n',
      stderr: "default/open/warn:1:1: warning: Field 'foo' does not exist on Object 'environment'. Existing fields are: 'imports', 'values', 'description' (foo)\n",
      exit: 0,
      files: [],
    });
    expect(await cli(["env", "open", "open/broken", "-f", "yaml"])).toEqual({
      stdout: "",
      stderr:
        'default/open/broken:2:5: error: environment "open/base" not found (imports[0])\n' +
        'default/open/broken:4:8: error: unknown property "a" (values.b)\n' +
        "error: cannot open default/open/broken: 2 errors\n",
      exit: 1,
      files: [],
    });
    expect(await cli(["env", "open", "open/missing"])).toMatchObject({ stderr: 'error: environment "default/open/missing" not found\n', exit: 1 });
  });
});

describe("openesc env get --value (check mode)", () => {
  it("redacts secrets in every format; dotenv/shell write no file", async () => {
    const json = await cli(["env", "get", "open/dev", "--value", "json"]);
    expect(json).toEqual({ stdout: OPEN_JSON.replaceAll('"hunter2"', '"[secret]"').replace('"token=hunter2\\n"', '"[secret]"'), stderr: "", exit: 0, files: [] });
    expect(await cli(["env", "get", "open/dev", "--value", "string"])).toEqual({ stdout: STRING("[secret]", "[secret]"), stderr: "", exit: 0, files: [] });
    expect(await cli(["env", "get", "open/dev", "--value", "dotenv"])).toEqual({ stdout: DOTENV("[secret]", "[unknown]"), stderr: "", exit: 0, files: [] });
    expect(await cli(["env", "get", "open/dev", "--value", "shell"])).toMatchObject({ stdout: DOTENV("[secret]", "[unknown]").replace(/^(?=.)/gm, "export "), exit: 0, files: [] });
    const detailed = await cli(["env", "get", "open/small", "--value", "detailed"]);
    expect([detailed.exit, detailed.stderr]).toEqual([0, ""]);
    // each value carries the range that defined it (§17.2), secrets redacted
    const tree = JSON.parse(detailed.stdout) as { value: Record<string, { value: unknown; secret?: boolean; trace: { def: { environment: string; begin: { line: number; column: number } } } }> };
    expect([tree.value.a?.value, tree.value.a?.secret, tree.value.a?.trace.def.environment, tree.value.a?.trace.def.begin]).toEqual([
      "[secret]",
      true,
      "open/small",
      { line: 2, column: 8, byte: 15 },
    ]);
    expect([tree.value.n?.trace.def.begin.line, tree.value.n?.trace.def.begin.column]).toEqual([3, 8]);
    expect(detailed.stdout).toContain('"value": 1.50');
  });

  it("prints the value at a path (json by default)", async () => {
    expect(await cli(["env", "get", "open/dev", "db"])).toEqual({ stdout: '{\n  "host": "db.internal",\n  "port": 5432\n}\n', stderr: "", exit: 0, files: [] });
    expect(await cli(["env", "get", "open/dev", "secret", "--value", "string"])).toMatchObject({ stdout: "[secret]\n", exit: 0 });
    expect(await cli(["env", "get", "open/dev", "nope"])).toMatchObject({ stdout: "null\n", exit: 0 });
    expect(await cli(["env", "get", "open/dev", "db", "--value", "shell"])).toMatchObject({ stderr: "error: output format 'shell' may not be used with a property path\n", exit: 2 });
  });

  it("shows check-mode secrets with --show-secrets (the server decrypts), still writing no file", async () => {
    expect(await cli(["env", "get", "open/dev", "--value", "dotenv", "--show-secrets"])).toEqual({
      stdout: DOTENV("hunter2", "[unknown]"),
      stderr: "",
      exit: 0,
      files: [],
    });
    expect(await cli(["env", "get", "open/dev", "secret", "--value", "string", "--show-secrets"])).toMatchObject({ stdout: "hunter2\n", exit: 0 });
  });

  it("prints the definition, with its secrets decrypted for --show-secrets", async () => {
    const sealed = await cli(["env", "get", "open/small"]);
    expect(sealed.stdout).toMatch(/^values:\n {2}a: \{ fn::secret: \{ciphertext: [A-Za-z0-9+/=]+\} \}\n {2}n: \{ fn::fromJSON: "1\.50" \}\n$/);
    expect(await cli(["env", "get", "open/small", "--definition", "--show-secrets"])).toEqual({
      stdout: 'values:\n  a: { fn::secret: s3cret }\n  n: { fn::fromJSON: "1.50" }\n',
      stderr: "",
      exit: 0,
      files: [],
    });
    expect(await cli(["env", "get", "open/small", "a", "--definition"])).toMatchObject({ exit: 2 });
  });

  it("reports check errors after the value", async () => {
    expect(await cli(["env", "get", "open/broken", "--value", "json"])).toEqual({
      stdout: '{\n  "b": "[unknown]"\n}\n',
      stderr:
        'default/open/broken:2:5: error: environment "open/base" not found (imports[0])\n' +
        'default/open/broken:4:8: error: unknown property "a" (values.b)\n' +
        "error: default/open/broken: 2 errors\n",
      exit: 1,
      files: [],
    });
  });
});

// The child prints a variable, a file's content and mode, expanded arguments and secrets.
const CHILD = `
const fs = require("fs");
console.log("var:", process.env.SECRET, process.env.FLAG, process.env.PI);
console.log("file:", fs.readFileSync(process.env.CONFIG, "utf8").trimEnd(), (fs.statSync(process.env.CONFIG).mode & 0o777).toString(8));
console.log("args:", JSON.stringify(process.argv.slice(1)));
console.error("stderr: hunter2 and hunter");
console.log("path:", process.env.CONFIG);
process.exit(Number(process.env.EXIT_WITH ?? 0));
`;
const CHILD_ARGS = ["${db.host}:${db.port}", "${secret}", "a$$b", "${nope}", "${unclosed"];

describe("openesc run", () => {
  it("exports variables and files, expands arguments and filters secrets", async () => {
    const o = await cli(["run", "open/dev", "--", "node", "-e", CHILD, ...CHILD_ARGS], { FLAG: "inherited", SECRET: "inherited" });
    expect(o).toEqual({
      stdout:
        "var: [secret] true 3.14\n" +
        "file: [secret] 600\n" +
        'args: ["db.internal:5432","[secret]","a$b","","${unclosed"]\n' +
        "path: {tmp}/esc-XXXX\n",
      stderr: "stderr: [secret] and hunter\n",
      exit: 0,
      files: [],
    });
  });

  it("does not filter with -i", async () => {
    const o = await cli(["env", "run", "-i", "open/dev", "--", "node", "-e", CHILD, ...CHILD_ARGS]);
    expect(o).toEqual({
      stdout:
        "var: hunter2 true 3.14\n" +
        "file: token=hunter2 600\n" +
        'args: ["db.internal:5432","hunter2","a$b","","${unclosed"]\n' +
        "path: {tmp}/esc-XXXX\n",
      stderr: "stderr: hunter2 and hunter\n",
      exit: 0,
      files: [],
    });
  });

  // `script` (util-linux) gives the CLI a terminal
  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.skipIf(!hasScript)("leaves the terminal to the child with -i, and filters through a pipe without", async () => {
    const tmp = mkdtempSync(join(home, "tmp-"));
    const onTty = (flags: string[]) => {
      const argv = [process.execPath, OPENESC_BIN, "run", ...flags, "open/dev", "--", "node", "-e", "console.log(process.stdout.isTTY === true, process.env.SECRET)"];
      const line = argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
      const child = spawn("script", ["-qec", line, "/dev/null"], { env: environment(tmp), stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
      return new Promise<string>((resolve) => child.on("close", () => resolve(out.replaceAll("\r\n", "\n"))));
    };
    expect(await onTty(["-i"])).toBe("true hunter2\n");
    expect(await onTty([])).toBe("false [secret]\n");
  });

  it("passes the child's exit status through and removes the files", async () => {
    expect(await cli(["run", "open/dev@latest", "--", "node", "-e", CHILD], { EXIT_WITH: "3" })).toMatchObject({ stderr: "stderr: [secret] and hunter\n", exit: 3, files: [] });
    expect(await cli(["run", "open/dev:latest", "--", "node", "-e", 'process.kill(process.pid, "SIGKILL")'])).toEqual({ stdout: "", stderr: "", exit: 137, files: [] });
  });

  it("forwards SIGTERM to the child and removes the files", async () => {
    const tmp = mkdtempSync(join(home, "tmp-"));
    const script = 'process.on("SIGTERM", () => { console.log("child got SIGTERM"); process.exit(42); }); console.log("ready", process.env.CONFIG); setInterval(() => {}, 1000);';
    const child = spawn(process.execPath, [OPENESC_BIN, "run", "open/dev", "--", "node", "-e", script], { env: environment(tmp), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    const ready = new Promise<void>((resolve) =>
      child.stdout.setEncoding("utf8").on("data", (s: string) => {
        stdout += s;
        if (stdout.includes("ready")) resolve();
      }),
    );
    const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    await ready;
    expect(leftFiles(tmp)).toHaveLength(1);
    child.kill("SIGTERM");
    expect(await exit).toBe(42);
    expect({ stdout: normalise(stdout, tmp), stderr, files: leftFiles(tmp) }).toEqual({ stdout: "ready {tmp}/esc-XXXX\nchild got SIGTERM\n", stderr: "", files: [] });
  });

  it("aborts on errors and refuses a missing command", async () => {
    expect(await cli(["run", "open/broken", "--", "node", "-e", "console.log(1)"])).toEqual({
      stdout: "",
      stderr:
        'default/open/broken:2:5: error: environment "open/base" not found (imports[0])\n' +
        'default/open/broken:4:8: error: unknown property "a" (values.b)\n' +
        "error: cannot open default/open/broken: 2 errors\n",
      exit: 1,
      files: [],
    });
    expect(await cli(["run", "open/dev"])).toMatchObject({ stderr: "error: no command to run: openesc run REF -- COMMAND [ARGS…]\n", exit: 2 });
    expect(await cli(["run", "open/dev", "--", "openesc-no-such-command"])).toEqual({ stdout: "", stderr: 'error: cannot run "openesc-no-such-command": command not found\n', exit: 1, files: [] });
  });
});
