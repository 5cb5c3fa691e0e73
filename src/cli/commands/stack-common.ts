import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Command } from "commander";
import {
  ConfigKeyError,
  environmentErrorDiagnostics,
  formatStackDiagnostic,
  PulumiFileError,
  readProjectFile,
  resolveStack,
  stackFilePath,
  type ResolvedStack,
} from "../../pulumi/index.js";
import { createCliClient } from "../client.js";
import type { ClientFlags } from "../command-options.js";
import { CliError, usageError, type CliContext } from "../context.js";
import { rpcError } from "../errors.js";

/** The flags every `openesc stack` command takes. */
export interface StackFlags extends ClientFlags {
  readonly cwd?: string;
  readonly stack?: string;
  readonly org?: string;
}

/** Adds `--cwd` and `--stack` (and `--org` for the commands that reach the server). */
export function withStackOptions(cmd: Command, options: { readonly org: boolean }): Command {
  cmd.option("-C, --cwd <dir>", "the Pulumi project's directory (holding Pulumi.yaml)", ".").option("-s, --stack <name>", "the stack (its file is Pulumi.<name>.yaml)");
  if (options.org) cmd.option("--org <org>", "the organization the environment names resolve in (default: the org of a stack named org/project/stack, else the org stored at login, else default)");
  return cmd;
}

/** The stack name, required. */
export function stackName(flags: StackFlags): string {
  if (flags.stack === undefined || flags.stack === "") throw usageError("no stack: pass --stack NAME");
  return flags.stack;
}

/** The stack file of `--stack` in the project of `--cwd`. */
export function stackFileOf(flags: StackFlags): string {
  const name = stackName(flags);
  try {
    const project = readProjectFile(resolve(flags.cwd ?? "."));
    return stackFilePath(project.stackConfigDir, name, project.path);
  } catch (e) {
    throw asCliError(e);
  }
}

/**
 * The passphrase of Pulumi's passphrase secrets provider, looked up as Pulumi does:
 * PULUMI_CONFIG_PASSPHRASE (even empty), else the trimmed content of PULUMI_CONFIG_PASSPHRASE_FILE.
 */
export function passphraseFrom(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (file === undefined || file === "") return undefined;
  try {
    return readFileSync(resolve(file), "utf8").trim();
  } catch (e) {
    throw new CliError(`cannot read PULUMI_CONFIG_PASSPHRASE_FILE ${file}: ${(e as Error).message}`);
  }
}

/** Pulumi's message when a passphrase stack's secrets are needed and no passphrase is set. */
export const NO_PASSPHRASE = "passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables";

/**
 * Resolves the stack for a command: the project of `--cwd`, the stack file of `--stack`, the environment
 * opened on the server of the connection flags. Warnings go to stderr; failures become CliErrors
 * (an environment with errors lists its diagnostics first).
 */
export async function resolveForCli(ctx: CliContext, flags: StackFlags): Promise<ResolvedStack> {
  const stack = stackName(flags);
  const client = createCliClient(ctx, flags);
  let resolved: ResolvedStack;
  try {
    resolved = await resolveStack({
      projectDir: resolve(flags.cwd ?? "."),
      stack,
      client: client.open,
      ...(flags.org !== undefined ? { org: flags.org } : {}),
      defaultOrg: client.defaultOrg,
      passphrase: passphraseFrom(ctx.env),
    });
  } catch (e) {
    throw asCliError(e);
  }
  for (const d of resolved.diagnostics) ctx.stderr.write(`${formatStackDiagnostic(d)}\n`);
  return resolved;
}

function asCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  if (e instanceof PulumiFileError || e instanceof ConfigKeyError) return new CliError(e.message);
  if (e instanceof ConnectError) {
    if (e.code === Code.FailedPrecondition) {
      const lines = environmentErrorDiagnostics(e).map(formatStackDiagnostic);
      if (lines.length > 0) return new CliError(`cannot open the stack's environment: ${e.rawMessage}`, 1, lines);
    }
    if (e.code === Code.NotFound) return new CliError(`cannot open the stack's environment: ${e.rawMessage}`);
    return rpcError(e);
  }
  if (e instanceof Error) return new CliError(e.message);
  return new CliError(String(e));
}
