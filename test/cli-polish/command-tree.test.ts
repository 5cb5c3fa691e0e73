/**
 * Checks over the whole commander tree (every command other helpers add included): the spec's
 * commands exist; every command that talks to a server takes --url/--token/--insecure/--ca-file and
 * hands them to the client; bad usage exits 2 with one `error:` line; `--output` is validated the
 * same way everywhere; resolveConnection's precedence (flags > OPENESC_* > credentials file).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createRouterTransport } from "@connectrpc/connect";
import { Command } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { createClientsOver, resolveConnection, type ConnectionFlags } from "../../src/cli/client.js";
import { registerCommands } from "../../src/cli/commands/index.js";
import type { CliContext } from "../../src/cli/context.js";
import { writeCredentials } from "../../src/cli/credentials.js";
import { main } from "../../src/cli/main.js";

/** Commands that never talk to a server: they work on local files, the database or the shell. */
const LOCAL = new Set([
  "serve", "completion", "logout", "env eval", "admin migrate", "admin keys rotate", "admin oidc rotate-key",
  // edit Pulumi.<stack>.yaml
  "stack env ls", "stack env add", "stack env rm",
]);

/** Commands that build their own client: login checks a new token, token exchange sends an OIDC token instead. */
const OWN_CLIENT = new Set(["login", "token exchange"]);

/** Client commands that read a Pulumi project from the working directory before they connect. */
const NEEDS_PROJECT = new Set(["stack config", "stack run"]);

/** Every command of `../shared/spec/cli.md`'s table (the `org/team/token/grant/audit/stack` groups are their issues'). */
const SPEC_COMMANDS = [
  "login", "logout", "whoami", "doctor", "completion",
  "env ls", "env init", "env edit", "env get", "env set", "env rm", "env clone", "env diff", "env check", "env eval", "env open",
  "run", "env run",
  "env version", "env version history", "env version retract", "env version rollback",
  "env version tag", "env version tag ls", "env version tag rm",
  "env tag", "env tag get", "env tag ls", "env tag mv", "env tag rm",
  "env settings get", "env settings set",
  "admin",
];

interface Node {
  readonly path: string;
  readonly cmd: Command;
}

function capture(extra: Partial<CliContext> = {}): { ctx: CliContext; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(String(chunk));
        cb();
      },
    });
  const ctx: CliContext = {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    stdin: process.stdin,
    env: { OPENESC_HOME: "/nonexistent/openesc-tree-test" },
    isTTY: false,
    ...extra,
  };
  return { ctx, out: () => out, err: () => err };
}

async function commands(): Promise<Node[]> {
  const program = new Command("openesc");
  await registerCommands(program, capture().ctx, () => {}, []);
  const nodes: Node[] = [];
  const walk = (cmd: Command, path: string) => {
    for (const child of cmd.commands) {
      const p = path === "" ? child.name() : `${path} ${child.name()}`;
      nodes.push({ path: p, cmd: child });
      walk(child, p);
    }
  };
  walk(program, "");
  return nodes;
}

/** Whether running the command itself does something (leaves, and groups such as `env tag REF N V`). */
function runnable(cmd: Command): boolean {
  return cmd.commands.length === 0 || cmd.registeredArguments.length > 0;
}

/** Plausible values for required positional arguments, by name, so that a command gets to its RPC. */
const SAMPLE: Readonly<Record<string, string>> = {
  ref: "default/payments/dev@stable",
  src: "default/payments/dev",
  dst: "dev2",
  path: "a",
  value: "true",
  name: "deletion-protected",
  "new-name": "owner",
  id: "0123456789abcdef",
  revision: "@1",
  shell: "bash",
  subject: "user:alice",
  resource: "default/payments",
  permission: "read",
};

/** Arguments after the options (`run REF -- CMD`). */
const TRAILING: Readonly<Record<string, readonly string[]>> = { run: ["--", "true"], "env run": ["--", "true"] };

/** Plausible values for mandatory options (`trust-policy create --issuer …`). */
const SAMPLE_OPTIONS: Readonly<Record<string, string>> = {
  "--issuer": "https://issuer.example",
  "--identity": "service-account:deployer",
};

/**
 * A value for every positional argument (optional ones too: `env tag [ref] [name] [value]` needs
 * them), then every mandatory option with a value.
 */
function sampleArgs(cmd: Command): string[] {
  const args = cmd.registeredArguments.filter((a) => !a.variadic).map((a) => a.argChoices?.[0] ?? SAMPLE[a.name()] ?? "x");
  const options = cmd.options.filter((o) => o.mandatory && o.long !== undefined).flatMap((o) => [o.long as string, SAMPLE_OPTIONS[o.long as string] ?? "x"]);
  return [...args, ...options];
}

const nodes = await commands();
const clientCommands = nodes.filter((n) => runnable(n.cmd) && !LOCAL.has(n.path));
const scratch = mkdtempSync(join(tmpdir(), "openesc-tree-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const CA_FILE = join(scratch, "ca.pem");
writeFileSync(CA_FILE, "");

describe("the command tree", () => {
  it("has every command of the spec", () => {
    const paths = new Set(nodes.map((n) => n.path));
    expect(SPEC_COMMANDS.filter((p) => !paths.has(p))).toEqual([]);
  });

  it.each(clientCommands.map((n) => [n.path, n] as const))("%s takes --url, --token, --insecure and --ca-file", (_, { cmd }) => {
    expect(cmd.options.map((o) => o.long)).toEqual(expect.arrayContaining(["--url", "--token", "--insecure", "--ca-file"]));
  });

  it.each(clientCommands.filter((n) => !NEEDS_PROJECT.has(n.path) && !OWN_CLIENT.has(n.path)).map((n) => [n.path, n] as const))("%s hands the connection flags to the client", async (path, { cmd }) => {
    const seen: ConnectionFlags[] = [];
    // a server that implements nothing: every RPC fails with Unimplemented, after the flags were seen
    const transport = createRouterTransport(() => {});
    const { ctx } = capture({
      clients: (flags) => {
        seen.push(flags);
        return createClientsOver(transport, "http://fake", "default");
      },
    });
    const argv = [...path.split(" "), ...sampleArgs(cmd), "--url", "https://127.0.0.1:1", "--token", "oesc_t", "--insecure", "--ca-file", CA_FILE, ...(TRAILING[path] ?? [])];
    await main(argv, ctx);
    expect(seen.length, `${argv.join(" ")} never created a client`).toBeGreaterThan(0);
    for (const flags of seen) expect(flags).toMatchObject({ url: "https://127.0.0.1:1", token: "oesc_t", insecure: true, caFile: CA_FILE });
  });

  it.each(nodes.filter((n) => runnable(n.cmd)).map((n) => [n.path, n] as const))("%s: an unknown option is bad usage (exit 2, one error line)", async (path, { cmd }) => {
    const { ctx, out, err } = capture();
    // (mandatory options are given: commander reports a missing one before an unknown one)
    const mandatory = cmd.options.filter((o) => o.mandatory && o.long !== undefined).flatMap((o) => [o.long as string, "x"]);
    expect(await main([...path.split(" "), ...mandatory, "--no-such-option"], ctx)).toBe(2);
    expect(err()).toBe("error: unknown option '--no-such-option'\n");
    expect(out()).toBe("");
  });

  it.each(nodes.filter((n) => n.cmd.options.some((o) => o.long === "--output")).map((n) => [n.path, n] as const))(
    "%s: --output accepts table and json only",
    async (path, { cmd }) => {
      const { ctx, err } = capture();
      expect(await main([...path.split(" "), ...sampleArgs(cmd), "--output", "yaml"], ctx)).toBe(2);
      expect(err()).toMatch(/^error: option '-o, --output <format>' argument 'yaml' is invalid\. Allowed choices are table, json\.\n$/);
    },
  );

  it("a group without a subcommand prints its help on stderr and exits 2", async () => {
    const { ctx, out, err } = capture();
    expect(await main(["env", "settings"], ctx)).toBe(2);
    expect(out()).toBe("");
    expect(err()).toMatch(/^Usage: openesc env settings \[options\] \[command\]\n/);
  });
});

describe("resolveConnection", () => {
  const home = mkdtempSync(join(tmpdir(), "openesc-resolve-"));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const env = { OPENESC_HOME: home };
  writeCredentials(env, { current: "https://stored.example", servers: { "https://stored.example": { token: "stored-token", org: "acme", caFile: "/etc/stored-ca.pem" } } });

  it("uses the credentials file when nothing else is given", () => {
    expect(resolveConnection(capture({ env }).ctx, {})).toEqual({
      url: "https://stored.example",
      urlSource: "credentials",
      token: "stored-token",
      tokenSource: "credentials",
      tls: { caFile: "/etc/stored-ca.pem", insecure: undefined },
      defaultOrg: "acme",
    });
  });

  it("lets OPENESC_URL and OPENESC_TOKEN win over the file, and flags over both", () => {
    const vars = { ...env, OPENESC_URL: "https://var.example", OPENESC_TOKEN: "var-token" };
    expect(resolveConnection(capture({ env: vars }).ctx, {})).toMatchObject({ url: "https://var.example", urlSource: "environment", token: "var-token", tokenSource: "environment" });
    expect(resolveConnection(capture({ env: vars }).ctx, { url: "https://flag.example", token: "flag-token", insecure: true })).toMatchObject({
      url: "https://flag.example",
      urlSource: "flag",
      token: "flag-token",
      tokenSource: "flag",
      tls: { insecure: true },
    });
  });

  it("takes the stored token of the server OPENESC_URL names, and ignores empty variables", () => {
    const vars = { ...env, OPENESC_URL: "https://stored.example/", OPENESC_TOKEN: "" };
    expect(resolveConnection(capture({ env: vars }).ctx, {})).toMatchObject({ url: "https://stored.example", token: "stored-token", tokenSource: "credentials" });
  });

  it("knows nothing without flags, variables or file", () => {
    expect(resolveConnection(capture().ctx, {})).toEqual({ urlSource: "none", tokenSource: "none", tls: {}, defaultOrg: "default" });
  });
});
