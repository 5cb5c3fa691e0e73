import { randomInt } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, Option } from "commander";
import {
  environmentVariables,
  evaluateEnvironment,
  files,
  formatDiagnostic,
  hasErrors,
  renderDetailed,
  renderDotenv,
  renderJson,
  renderShell,
  renderString,
  type Diagnostic,
  type EvalMode,
  type ExecutionContext,
  type ProjectedEntry,
  type Value,
} from "../../esc/index.js";
import { withExamples } from "../command-options.js";
import { CommandExit } from "../command-exit.js";
import { CliError, usageError, type CliContext } from "../context.js";
import { applyRotationPatches, createDirectoryLoader, environmentFile, readEnvironment } from "../local-environments.js";
import { loadPlugins } from "../plugin-loader.js";

/** The `--format` values of `env eval` (esc-language.md §17.2, §17.3, §18.4). */
export const EVAL_FORMATS = ["json", "detailed", "string", "dotenv", "shell"] as const;
export type EvalFormat = (typeof EVAL_FORMATS)[number];

interface Flags {
  readonly check?: boolean;
  readonly showSecrets?: boolean;
  readonly rotate?: boolean | string[];
  readonly format: EvalFormat;
  readonly plugin?: string[];
  readonly context?: string;
}

const HELP = `
Modes (esc-language.md §14):
  open (default)    providers and rotators are opened, ciphertext is decrypted
  --check           no provider or rotator is called (their values are unknown); ciphertext is
                    decrypted only with --show-secrets
  --rotate [PATH…]  like open, but first rotates the rotators of NAME's own file whose path under
                    \`values\` is listed (all of them without PATH), e.g. --rotate db.password
                    'examples["subscript-path"][0]' (give --rotate after DIR NAME: it takes the
                    words that follow it). The rotation patches are written back into DIR/NAME.yaml
                    (§14.3 write-back: only each rotated \`state\` mapping changes; secret state is
                    written as plaintext \`fn::secret\`, local files are not encrypted); patches of
                    successful rotations are written even when other diagnostics are errors.
                    Imported files are never rotated or written.

Output (stdout) in --format, secrets "[secret]" unless --show-secrets, unknowns "[unknown]":
  json      the plain JSON of the values (§17.3), two-space indent
  detailed  the Value tree with secret/unknown flags and traces (§17.2)
  string    the values as one string (§18.4)
  dotenv    NAME="VALUE" lines of environmentVariables, then of files (§18.4); in open and rotate
            mode with --show-secrets each file is written to the OS temp directory (esc-*) and left
            there, otherwise no file is written and its variable is "[unknown]"
  shell     the dotenv lines prefixed by "export "

Diagnostics go to stderr, one per line: ENV:LINE:COLUMN: error|warning: SUMMARY (ENV: error: SUMMARY
without a position), parse diagnostics first. The value is printed as far as it was evaluated; when
any error was reported a last line "error: NAME: N error(s)" follows and the exit status is 1.

Files: NAME is DIR/NAME.yaml; an import (or environments.P.E reference) named foo/bar is
DIR/foo/bar.yaml and keeps that name in positions and in context.currentEnvironment.name. Names
may not leave DIR ("..", absolute paths); a missing file is 'environment "foo/bar" not found'.

Plugins: --plugin FILE.mjs imports an ES module whose default export is
  { providers?: {NAME: {inputSchema?, outputSchema?, open(inputs, context)}},
    rotators?: {NAME: {inputSchema?, stateSchema?, outputSchema?, open(inputs, state, context),
                       rotate(inputs, state, context)}},
    decrypt?(payload) }
(types and the helpers plain() and secret() come from "openesc/plugin"). Several --plugin options
merge in order: a provider, rotator or decrypt defined again by a later plugin replaces the earlier
one. Without a decrypt function, ciphertext is reported as a diagnostic.`;

/**
 * `openesc env eval DIR NAME`: evaluates local YAML files with the language module, no server (issue 3,
 * deliverable 5). Prints the value in `--format` to stdout and the diagnostics to stderr; errors end with one
 * `error: NAME: N errors` line and exit 1 (the value is still printed).
 */
export function envEvalCommand(ctx: CliContext): Command {
  const cmd = new Command("eval")
    .summary("evaluate local YAML environments (no server)")
    .description("evaluate DIR/NAME.yaml and the environments it imports from DIR, and print the result")
    .argument("<dir>", "the folder holding the environments' YAML files")
    .argument("<name>", "the environment to evaluate: DIR/NAME.yaml")
    .option("--check", "check mode: do not call providers or rotators")
    .option("--show-secrets", "print secret values instead of [secret] (and decrypt ciphertext in --check mode)")
    .option("--rotate [paths...]", "rotate mode: rotate the rotators at these paths (all without PATH) and write the new state into DIR/NAME.yaml")
    .addOption(new Option("--format <format>", "output format").choices(EVAL_FORMATS).default("json"))
    .option("--plugin <file>", "load providers, rotators and a decrypter from this ES module (repeatable)", collect)
    .option("--context <json>", 'the execution context, e.g. \'{"pulumi":{"user":{"login":"ana"}}}\'');
  cmd.addHelpText("after", HELP);
  withExamples(cmd, [
    "openesc env eval ./environments prod",
    "openesc env eval ./environments payments/dev --check --format detailed",
    "openesc env eval ./environments prod --format dotenv --show-secrets --plugin ./providers.mjs",
    `openesc env eval ./environments prod --context '{"pulumi":{"user":{"login":"ana"}}}'`,
    "openesc env eval ./environments prod --plugin ./rotators.mjs --rotate db.password",
  ]);
  return cmd.action(async (dir: string, name: string, flags: Flags) => {
    await evalCommand(ctx, dir, name, flags);
  });
}

async function evalCommand(ctx: CliContext, dir: string, name: string, flags: Flags): Promise<void> {
  if (flags.check === true && flags.rotate !== undefined) throw usageError("--check and --rotate cannot be used together");
  const mode: EvalMode = flags.check === true ? "check" : flags.rotate !== undefined ? "rotate" : "open";
  const context = parseContext(flags.context);
  const found = environmentFile(dir, name);
  if ("error" in found) throw usageError(found.error);
  let text: string;
  try {
    text = await readEnvironment(dir, name);
  } catch (e) {
    const shown = join(dir, `${name}.yaml`);
    throw new CliError((e as Error).message.replace(found.file, shown) + ((e as Error).message.endsWith("not found") ? ` (no file ${shown})` : ""));
  }
  const { registry, decrypter } = await loadPlugins(flags.plugin ?? []);
  const showSecrets = flags.showSecrets === true;
  const result = await evaluateEnvironment(text, {
    name,
    mode,
    loader: createDirectoryLoader(dir),
    providers: registry,
    ...(decrypter !== undefined ? { decrypter } : {}),
    context,
    showSecrets,
    ...(Array.isArray(flags.rotate) && flags.rotate.length > 0 ? { rotatePaths: flags.rotate } : {}),
  });

  writeDiagnostics(ctx, result.diagnostics, name);
  const value = result.environment?.value;
  ctx.stdout.write(render(value, flags.format, { redact: !showSecrets, writeFiles: showSecrets && mode !== "check" }));

  if (mode === "rotate" && result.patches.length > 0) {
    const patched = applyRotationPatches(text, result.patches);
    await writeBack(found.file, patched);
  }
  // Issue 3 §5: stderr holds exactly the diagnostic lines; errors only set the exit status.
  if (hasErrors(result.diagnostics)) throw new CommandExit(1);
}

/** Prints diagnostics one per line: `ENV:LINE:COLUMN: error: SUMMARY`, `ENV: error: SUMMARY` without a range. */
export function writeDiagnostics(ctx: CliContext, diagnostics: readonly Diagnostic[], name: string): void {
  for (const d of diagnostics) ctx.stderr.write(`${formatDiagnostic(d, name)}\n`);
}

/** `--context JSON`: an object, else a usage error. */
function parseContext(text: string | undefined): ExecutionContext {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw usageError(`invalid --context: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw usageError("invalid --context: expected a JSON object");
  return parsed as ExecutionContext;
}

interface RenderChoice {
  readonly redact: boolean;
  /** Write `files` to temporary files (open/rotate with secrets shown), else their variables are `[unknown]`. */
  readonly writeFiles: boolean;
}

/** The output text of one format (esc-language.md §17–§18.4). */
export function render(value: Value | undefined, format: EvalFormat, choice: RenderChoice): string {
  const options = { redact: choice.redact };
  switch (format) {
    case "json":
      return renderJson(value, options);
    case "detailed":
      return renderDetailed(value, options);
    case "string":
      return renderString(value, options);
    case "dotenv":
    case "shell": {
      const fileVars = files(value).map((f): ProjectedEntry => ({ name: f.name, value: choice.writeFiles ? writeTempFile(f.value) : "[unknown]", secret: false }));
      const input = { variables: environmentVariables(value), files: fileVars };
      return format === "dotenv" ? renderDotenv(input, options) : renderShell(input, options);
    }
  }
}

/** Writes `content` to a new private file `esc-<digits>` in the OS temp directory (§18.2) and returns its path. */
function writeTempFile(content: string): string {
  for (let attempt = 0; ; attempt++) {
    const path = join(tmpdir(), `esc-${randomInt(1_000_000_000, 4_294_967_295)}`);
    let fd: number;
    try {
      fd = openSync(path, "wx", 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST" && attempt < 100) continue;
      throw new CliError(`cannot write a temporary file for files: ${(e as Error).message}`);
    }
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    return path;
  }
}

async function writeBack(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (e) {
    throw new CliError(`cannot write the rotated state into ${file}: ${(e as Error).message}`);
  }
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
