import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { createPassphraseCrypter } from "../../sdks/typescript/src/pulumi/index.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { cliEnv, finish, runCli, startCli } from "./support/cli.js";
import { setupClients } from "./support/fixtures.js";

// `openesc stack run` and `openesc stack config` through the real binary against a real server; the
// Pulumi CLI is the stand-in support/bin/pulumi, which reports what it received.

// Pulumi's own passphrase test vector (pkg/secrets/passphrase): passphrase "password".
const SALT = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";
const FROM_STACK = "v1:x5WGbvKVk7iYbTbq:FAIUGryX20LtE/xI7bzWH2FuvHex/J8hX4c="; // "from-stack"

const RUNTIME = {
  values: {
    dbPassword: { "fn::secret": "pw-1234" },
    pulumiConfig: {
      greeting: "hello",
      password: "${dbPassword}",
      db: { host: "db.internal", token: { "fn::secret": "tok-9" } },
      count: 3,
    },
    environmentVariables: { APP_ENV: "dev", CONFIG_PATH: "the-variable", DB_PASSWORD: "${dbPassword}" },
    files: { CONFIG_PATH: "key: value\n", TLS_KEY: "${dbPassword}" },
  },
};

const PASSPHRASE_STACK = `# the dev stack, encrypted with a passphrase
secretsprovider: passphrase
encryptionsalt: ${SALT}
environment:
  - payments/runtime
config:
  shop:own: stack-value
  shop:ownSecret:
    secure: ${FROM_STACK}
`;

let server: TestServer;
let home: string;
const dirs: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  home = tempDir();
  const clients = setupClients(server.url, server.token);
  await clients.environments.createEnvironment({ org: "default", project: "payments", environment: "runtime", definition: stringify(RUNTIME) });
});

afterAll(async () => {
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "openesc-stack-test-"));
  dirs.push(d);
  return d;
}

function project(stackFile: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\n");
  writeFileSync(join(dir, "Pulumi.dev.yaml"), stackFile);
  return dir;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cliEnv({ OPENESC_URL: server.url, OPENESC_TOKEN: server.token, ...extra }, home);
}

interface Report {
  args: string[];
  env: Record<string, string | null>;
  files: Record<string, { path: string; mode: string; content: string } | null>;
  configFile: { path: string; mode: string; text: string } | null;
}

function report(stdout: string): Report {
  return JSON.parse(stdout.split("\n")[0] as string) as Report;
}

describe("openesc stack run", () => {
  it("runs Pulumi with the variables, the files and a config file holding the resolved configuration", async () => {
    const dir = project(PASSPHRASE_STACK);
    const run = await runCli(["stack", "run", "--cwd", dir, "--stack", "dev", "--", "pulumi", "preview", "--diff"], env({
      PULUMI_CONFIG_PASSPHRASE: "password",
      APP_ENV: "from-the-caller",
      CALLER_ONLY: "kept",
      STANDIN_SHOW_ENV: "APP_ENV,DB_PASSWORD,CALLER_ONLY",
      STANDIN_SHOW_FILES: "CONFIG_PATH,TLS_KEY",
    }));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const got = report(run.stdout);
    const configPath = got.configFile?.path as string;
    expect(got.args).toEqual(["preview", "--diff", "--stack", "dev", "--config-file", configPath, "--cwd", dir]);
    expect(configPath).toMatch(/\/openesc-stack-[^/]+\/Pulumi\.dev\.yaml$/);
    // the environment's variables override the caller's; a file beats a variable of the same name
    expect(got.env).toEqual({ APP_ENV: "dev", DB_PASSWORD: "pw-1234", CALLER_ONLY: "kept" });
    expect(got.files.CONFIG_PATH).toMatchObject({ mode: "600", content: "key: value\n" });
    expect(got.files.TLS_KEY).toMatchObject({ mode: "600", content: "pw-1234" });
    expect(got.configFile?.mode).toBe("600");

    const text = got.configFile?.text as string;
    expect(text.startsWith("# the dev stack, encrypted with a passphrase\nsecretsprovider: passphrase\n")).toBe(true);
    const file = parse(text) as { secretsprovider: string; encryptionsalt: string; environment?: unknown; config: Record<string, unknown> };
    expect(file.environment).toBeUndefined();
    expect(file.encryptionsalt).toBe(SALT);
    // every secret is a secure: value of the stack's passphrase; the plaintext appears nowhere
    expect(text).not.toContain("pw-1234");
    expect(text).not.toContain("tok-9");
    expect(text).not.toContain("from-stack");
    const crypter = await createPassphraseCrypter("password", SALT);
    const secure = (v: unknown) => crypter.decrypt((v as { secure: string }).secure);
    const config = file.config;
    expect(Object.keys(config)).toEqual(["shop:count", "shop:db", "shop:greeting", "shop:own", "shop:ownSecret", "shop:password"]);
    expect(config["shop:count"]).toBe(3);
    expect(config["shop:greeting"]).toBe("hello");
    expect(config["shop:own"]).toBe("stack-value");
    expect(secure(config["shop:ownSecret"])).toBe("from-stack");
    expect(secure(config["shop:password"])).toBe("pw-1234");
    const db = config["shop:db"] as { host: string; token: unknown };
    expect(db.host).toBe("db.internal");
    expect(secure(db.token)).toBe("tok-9");

    // everything temporary is gone once Pulumi ended
    expect(existsSync(configPath)).toBe(false);
    expect(existsSync(got.files.CONFIG_PATH?.path as string)).toBe(false);
    expect(existsSync(got.files.TLS_KEY?.path as string)).toBe(false);
  });

  it("reads the passphrase from PULUMI_CONFIG_PASSPHRASE_FILE (trimmed) and keeps a --stack given to Pulumi", async () => {
    const dir = project(PASSPHRASE_STACK);
    const passFile = join(tempDir(), "passphrase");
    writeFileSync(passFile, "password\n");
    const run = await runCli(["stack", "run", "--cwd", dir, "--stack", "dev", "--", "pulumi", "up", "-s", "dev", "--yes", "--", "extra"], env({ PULUMI_CONFIG_PASSPHRASE_FILE: passFile }));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const got = report(run.stdout);
    expect(got.args).toEqual(["up", "-s", "dev", "--yes", "--config-file", got.configFile?.path, "--cwd", dir, "--", "extra"]);
    const crypter = await createPassphraseCrypter("password", SALT);
    expect(crypter.decrypt((parse(got.configFile?.text as string) as { config: Record<string, { secure: string }> }).config["shop:password"]?.secure as string)).toBe("pw-1234");
  });

  it("passes Pulumi's exit status through", async () => {
    const dir = project(PASSPHRASE_STACK);
    const run = await runCli(["stack", "run", "--cwd", dir, "--stack", "dev", "--", "pulumi", "up"], env({ PULUMI_CONFIG_PASSPHRASE: "password", STANDIN_EXIT: "7" }));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(7);
  });

  it("passes SIGINT to Pulumi and exits with its status", async () => {
    const dir = project(PASSPHRASE_STACK);
    const child = startCli(["stack", "run", "--cwd", dir, "--stack", "dev", "--", "pulumi", "up"], env({ PULUMI_CONFIG_PASSPHRASE: "password", STANDIN_WAIT: "1" }));
    const done = finish(child);
    await readyOf(child);
    child.kill("SIGINT");
    const run = await done;
    expect(run.stdout.split("\n").slice(1)).toEqual(["ready", "got SIGINT", ""]);
    expect(run.code).toBe(42);
    expect(existsSync(report(run.stdout).configFile?.path as string)).toBe(false);
  });

  it("passes SIGTERM to Pulumi: ended by it, openesc exits 128 + 15", async () => {
    const dir = project(PASSPHRASE_STACK);
    const child = startCli(["stack", "run", "--cwd", dir, "--stack", "dev", "--", "pulumi", "up"], env({ PULUMI_CONFIG_PASSPHRASE: "password", STANDIN_WAIT: "1" }));
    const done = finish(child);
    await readyOf(child);
    child.kill("SIGTERM");
    const run = await done;
    expect(run.code).toBe(143);
    expect(existsSync(report(run.stdout).configFile?.path as string)).toBe(false);
  });

  it("refuses to run without the passphrase the secrets need (Pulumi's message), running nothing", async () => {
    const dir = project(PASSPHRASE_STACK);
    const run = await runCli(["stack", "run", "--cwd", dir, "--stack", "dev", "--", "pulumi", "up"], env());
    expect(run).toMatchObject({ code: 1, stdout: "", stderr: "error: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables\n" });
  });

  it("refuses a wrong passphrase", async () => {
    const dir = project(PASSPHRASE_STACK);
    const run = await runCli(["stack", "run", "--cwd", dir, "--stack", "dev", "--", "pulumi", "up"], env({ PULUMI_CONFIG_PASSPHRASE: "not-it" }));
    expect(run).toMatchObject({ code: 1, stdout: "", stderr: "error: incorrect passphrase\n" });
  });

  it("with another secrets provider, sets each secret with `pulumi config set --secret --raw` (value on stdin, exactly)", async () => {
    const dir = project(`secretsprovider: awskms://alias/shop
environment:
  - payments/runtime
config:
  shop:ownSecret:
    secure: AAAAkms-ciphertext
`);
    const log = join(tempDir(), "calls.log");
    const run = await runCli(["stack", "run", "--cwd", dir, "--stack", "dev", "--", "pulumi", "up"], env({ STANDIN_LOG: log }));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const got = report(run.stdout);
    const path = got.configFile?.path as string;
    const calls = readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]);
    expect(calls).toEqual([
      ["config", "set", "--secret", "--raw", "--path", "--stack", "dev", "--config-file", path, "--cwd", dir, "shop:db.token"],
      ["config", "set", "--secret", "--raw", "--stack", "dev", "--config-file", path, "--cwd", dir, "shop:password"],
      ["up", "--stack", "dev", "--config-file", path, "--cwd", dir],
    ]);
    const b64 = (s: string) => `standin:${Buffer.from(s).toString("base64")}`;
    expect(parse(got.configFile?.text as string)).toEqual({
      secretsprovider: "awskms://alias/shop",
      config: {
        "shop:count": 3,
        "shop:db": { host: "db.internal", token: { secure: b64("tok-9") } },
        "shop:greeting": "hello",
        "shop:ownSecret": { secure: "AAAAkms-ciphertext" },
        "shop:password": { secure: b64("pw-1234") },
      },
    });
  });

  it("reports a missing environment with its diagnostics and runs nothing", async () => {
    const dir = project("environment:\n  - payments/nope\n");
    const run = await runCli(["stack", "run", "--cwd", dir, "--stack", "dev", "--", "pulumi", "up"], env());
    expect(run).toMatchObject({
      code: 1,
      stdout: "",
      stderr:
        '<yaml>:1:13: error: environment "payments/nope" not found (imports[0])\n' +
        'error: cannot open the stack\'s environment: the anonymous environment has errors: 1:13: environment "payments/nope" not found\n',
    });
  });

  it("needs a command and a stack", async () => {
    const dir = project(PASSPHRASE_STACK);
    expect(await runCli(["stack", "run", "--cwd", dir, "--stack", "dev"], env())).toMatchObject({ code: 2, stderr: "error: no command to run: openesc stack run --stack NAME -- pulumi up …\n" });
    expect(await runCli(["stack", "run", "--cwd", dir, "--", "pulumi", "up"], env())).toMatchObject({ code: 2, stderr: "error: no stack: pass --stack NAME\n" });
  });
});

describe("openesc stack config", () => {
  const config = (dir: string, ...flags: string[]) => runCli(["stack", "config", "--cwd", dir, "--stack", "dev", ...flags], env({ PULUMI_CONFIG_PASSPHRASE: "password" }));

  it("prints `pulumi config --json`'s shape, secrets left out", async () => {
    const run = await config(project(PASSPHRASE_STACK));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`{
  "shop:count": {
    "value": "3",
    "secret": false
  },
  "shop:db": {
    "secret": true
  },
  "shop:greeting": {
    "value": "hello",
    "secret": false
  },
  "shop:own": {
    "value": "stack-value",
    "secret": false
  },
  "shop:ownSecret": {
    "secret": true
  },
  "shop:password": {
    "secret": true
  }
}
`);
  });

  it("shows secrets with --show-secrets (objects also as objectValue)", async () => {
    const run = await config(project(PASSPHRASE_STACK), "--show-secrets");
    expect(JSON.parse(run.stdout)).toEqual({
      "shop:count": { value: "3", secret: false },
      "shop:db": { value: '{"host":"db.internal","token":"tok-9"}', objectValue: { host: "db.internal", token: "tok-9" }, secret: true },
      "shop:greeting": { value: "hello", secret: false },
      "shop:own": { value: "stack-value", secret: false },
      "shop:ownSecret": { value: "from-stack", secret: true },
      "shop:password": { value: "pw-1234", secret: true },
    });
  });

  it("prints YAML, secrets as [secret]", async () => {
    const run = await config(project(PASSPHRASE_STACK), "--format", "yaml");
    expect(run.stdout).toBe(`shop:count: 3
shop:db:
  host: db.internal
  token: "[secret]"
shop:greeting: hello
shop:own: stack-value
shop:ownSecret: "[secret]"
shop:password: "[secret]"
`);
  });

  it("prints PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS", async () => {
    const run = await config(project(PASSPHRASE_STACK), "--format", "pulumi-config", "--show-secrets");
    expect(run.stdout).toBe(
      `PULUMI_CONFIG='{"shop:count":"3","shop:db":"{\\"host\\":\\"db.internal\\",\\"token\\":\\"tok-9\\"}","shop:greeting":"hello","shop:own":"stack-value","shop:ownSecret":"from-stack","shop:password":"pw-1234"}'\n` +
        `PULUMI_CONFIG_SECRET_KEYS='["shop:db","shop:ownSecret","shop:password"]'\n`,
    );
  });

  it("without the passphrase, the stack's own secrets stay encrypted ([secret])", async () => {
    const run = await runCli(["stack", "config", "--cwd", project(PASSPHRASE_STACK), "--stack", "dev", "--show-secrets", "-f", "yaml"], env());
    expect(run.stdout).toContain('shop:ownSecret: "[secret]"\nshop:password: pw-1234\n');
  });

  it("finds the stack file through Pulumi.yaml's stackConfigDir", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\nstackConfigDir: stacks\n");
    mkdirSync(join(dir, "stacks"));
    writeFileSync(join(dir, "stacks", "Pulumi.dev.yaml"), "config:\n  shop:where: stacks-dir\n");
    const run = await runCli(["stack", "config", "--cwd", dir, "--stack", "acme/shop/dev"], env());
    expect(JSON.parse(run.stdout)).toEqual({ "shop:where": { value: "stacks-dir", secret: false } });
  });

  it("resolves names in the org of a stack named org/project/stack, unless --org says otherwise", async () => {
    const clients = setupClients(server.url, server.token);
    await clients.organizations.createOrganization({ name: "acme" });
    await clients.environments.createEnvironment({ org: "acme", project: "payments", environment: "orgcheck", definition: "values:\n  pulumiConfig:\n    where: acme\n" });
    const dir = project("environment:\n  - payments/orgcheck\n");
    const run = await runCli(["stack", "config", "--cwd", dir, "--stack", "acme/shop/dev"], env());
    expect(JSON.parse(run.stdout)).toEqual({ "shop:where": { value: "acme", secret: false } });
    const other = await runCli(["stack", "config", "--cwd", dir, "--stack", "acme/shop/dev", "--org", "default"], env());
    expect(other).toMatchObject({ code: 1, stdout: "" });
    expect(other.stderr).toContain('error: cannot open the stack\'s environment: the anonymous environment has errors: 1:13: environment "payments/orgcheck" not found\n');
  });

  it("finds Pulumi.yml above --cwd, and the stack file with the project file's extension", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "Pulumi.yml"), "name: shop\nruntime: nodejs\n");
    writeFileSync(join(dir, "Pulumi.dev.yml"), "config:\n  shop:ext: yml\n");
    writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  shop:ext: yaml\n");
    mkdirSync(join(dir, "src", "deep"), { recursive: true });
    const run = await runCli(["stack", "config", "--cwd", join(dir, "src", "deep"), "--stack", "dev"], env());
    expect(JSON.parse(run.stdout)).toEqual({ "shop:ext": { value: "yml", secret: false } });
  });

  it("reports a folder without Pulumi.yaml", async () => {
    const dir = tempDir();
    expect(await runCli(["stack", "config", "--cwd", dir, "--stack", "dev"], env())).toMatchObject({ code: 1, stderr: `error: no Pulumi.yaml project file found in ${dir} or above\n` });
  });
});

function readyOf(child: ReturnType<typeof startCli>): Promise<void> {
  return new Promise((resolve) => {
    let seen = "";
    child.stdout?.on("data", (s: Buffer | string) => {
      seen += s.toString();
      if (seen.includes("ready\n")) resolve();
    });
  });
}
