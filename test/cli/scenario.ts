import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseDocument } from "yaml";
import { OPENESC_BIN } from "../support/server.js";

/**
 * A CLI scenario file (`testdata/*.yaml`): seeded state, then steps with their expected output.
 *
 * ```yaml
 * login: true              # default: log in with the server's admin token first
 * tls: false               # serve over TLS with a self-signed {dir}/cert.pem
 * env: { EDITOR: "sh {dir}/editor.sh" }
 * files: { editor.sh: "…" } # written into {dir}, executable
 * seed:                    # commands that must exit 0; output not checked
 *   - env init default/payments/dev
 * steps:
 *   - run: env version history default/payments/dev   # a string (quotes allowed) or a list
 *     stdin: "…"
 *     stdout: "…"
 *     stderr: ""
 *     exit: 0
 * ```
 * `{url}`, `{token}`, `{token-id}`, `{dir}`, `{bin}` and `{node}` are replaced in commands, env, files and stdin.
 */
export interface Scenario {
  readonly login?: boolean;
  /** Serve over TLS with a fresh self-signed certificate for 127.0.0.1, `{dir}/cert.pem`. */
  readonly tls?: boolean;
  readonly env?: Readonly<Record<string, string>>;
  readonly files?: Readonly<Record<string, string>>;
  readonly seed?: readonly Command[];
  readonly steps: readonly Step[];
}

type Command = string | readonly string[];

export interface Step {
  readonly run: Command;
  readonly stdin?: string;
  /**
   * Run on a pseudo-terminal (through `script`): stdin is typed once the command first prints
   * (a prompt), and stdout and stderr arrive together in `stdout`.
   */
  readonly tty?: boolean;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly exit?: number;
}

/** What one command printed and returned, normalised. */
export interface Outcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: number;
}

/** The values placeholders stand for in one scenario run. */
export interface Bindings {
  readonly url: string;
  readonly token: string;
  readonly dir: string;
}

export function readScenario(file: string): Scenario {
  return parse(readFileSync(file, "utf8")) as Scenario;
}

/** Writes the outcomes into the file's steps, keeping everything else (OPENESC_ACCEPT=1). */
export function acceptScenario(file: string, outcomes: readonly Outcome[]): void {
  const doc = parseDocument(readFileSync(file, "utf8"));
  outcomes.forEach((o, i) => {
    doc.setIn(["steps", i, "stdout"], o.stdout);
    doc.setIn(["steps", i, "stderr"], o.stderr);
    doc.setIn(["steps", i, "exit"], o.exit);
  });
  writeFileSync(file, doc.toString({ lineWidth: 0 }));
}

export function substitute(text: string, b: Bindings): string {
  return text
    .replaceAll("{token-id}", /^oesc_([0-9a-f]+)_/.exec(b.token)?.[1] ?? "{token-id}")
    .replaceAll("{url}", b.url)
    .replaceAll("{token}", b.token)
    .replaceAll("{dir}", b.dir)
    .replaceAll("{bin}", OPENESC_BIN)
    .replaceAll("{node}", process.execPath);
}

/** Writes the scenario's files into its directory and returns the environment of its commands. */
export function prepare(scenario: Scenario, b: Bindings): NodeJS.ProcessEnv {
  mkdirSync(join(b.dir, "home"), { recursive: true });
  for (const [name, content] of Object.entries(scenario.files ?? {})) {
    const path = join(b.dir, name);
    writeFileSync(path, substitute(content, b));
    chmodSync(path, 0o755);
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(b.dir, "home"),
    OPENESC_HOME: join(b.dir, "home", ".openesc"),
    LANG: "C.UTF-8",
  };
  for (const [k, v] of Object.entries(scenario.env ?? {})) env[k] = substitute(v, b);
  return env;
}

/** Writes a self-signed certificate for 127.0.0.1 into `dir`; returns the server's TLS flags. */
export function selfSignedCertificate(dir: string): string[] {
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
  ], { stdio: "ignore" });
  return ["--tls-cert", cert, "--tls-key", key];
}

/** Runs the real binary once, with standard input from `stdin` (closed when absent). */
export function runCli(command: Command, env: NodeJS.ProcessEnv, b: Bindings, stdin?: string, tty = false): Promise<Outcome> {
  const args = (typeof command === "string" ? splitWords(command) : [...command]).map((a) => substitute(a, b));
  const argv = [process.execPath, OPENESC_BIN, ...args];
  const input = stdin === undefined ? undefined : substitute(stdin, b);
  return new Promise((resolve, reject) => {
    const child = tty
      ? spawn("script", ["-qec", argv.map(shellQuote).join(" "), "/dev/null"], { env, cwd: b.dir, stdio: ["pipe", "pipe", "pipe"] })
      : spawn(argv[0] as string, argv.slice(1), { env, cwd: b.dir, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let typed = false;
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
      // on a terminal, type the input once the prompt is there (before, the terminal would echo it)
      if (tty && !typed && input !== undefined) {
        typed = true;
        // a moment for the command to switch the terminal to hidden input after its prompt
        setTimeout(() => child.stdin.write(input), 300);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => {
      const clean = (text: string) => normalise(tty ? text.replaceAll("\r\n", "\n") : text, b);
      resolve({ stdout: clean(stdout), stderr: clean(stderr), exit: code ?? -1 });
    });
    if (!tty) child.stdin.end(input);
  });
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Replaces what changes from run to run (ports, tokens, times, temp paths) with stable marks. */
export function normalise(text: string, b: Bindings): string {
  const tokenId = /^oesc_([0-9a-f]+)_/.exec(b.token)?.[1];
  let out = text.replaceAll(b.token, "{token}").replaceAll(b.url, "{url}").replaceAll(b.dir, "{dir}");
  out = out.replace(/oesc_[0-9a-f]+_[A-Za-z0-9_-]+/g, "<secret>");
  if (tokenId !== undefined) out = out.replaceAll(tokenId, "{token-id}");
  out = out.replace(/\b[0-9a-f]{16}\b/g, "<token-id>");
  out = out.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, "YYYY-MM-DDTHH:MM:SSZ");
  out = out.replace(/\S*openesc-edit-[A-Za-z0-9]+/g, "<edit-dir>");
  // secrets sealed at rest: fresh nonces every time
  out = out.replace(/ciphertext: [A-Za-z0-9+/=]+/g, "ciphertext: <ciphertext>");
  return out;
}

/** Splits a command line on blanks, honouring '…' and "…" quoting. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let current: string | undefined;
  let last = 0;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    const piece = m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3] ?? "");
    // adjacent pieces (a"b c"d) form one word
    if (current !== undefined && m.index === last) current += piece;
    else {
      if (current !== undefined) words.push(current);
      current = piece;
    }
    last = m.index + m[0].length;
  }
  if (current !== undefined) words.push(current);
  return words;
}
