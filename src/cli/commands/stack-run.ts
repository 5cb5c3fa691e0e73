import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { Command } from "commander";
import { createPassphraseCrypter, propertyPath, renderStackConfigFile, type PendingSecret, type ResolvedStack, type StackConfigFile } from "../../pulumi/index.js";
import { CommandExit } from "../command-exit.js";
import { withConnection, withExamples } from "../command-options.js";
import { CliError, usageError, type CliContext } from "../context.js";
import { runChild } from "../run-child.js";
import { createTempFileSet } from "../temp-files.js";
import { NO_PASSPHRASE, passphraseFrom, resolveForCli, stackName, withStackOptions, type StackFlags } from "./stack-common.js";

const HELP = `
For a stack whose file names an environment: (which the Pulumi CLI accepts only with Pulumi Cloud),
the stack is resolved as with \`openesc stack config\`, then the command runs with:
  - the environment's environmentVariables exported, overriding the inherited ones, and each of its
    files written to a private temporary file whose path is in the variable of that name;
  - \`--stack NAME --config-file TMP\` appended to its arguments (before a \`--\`; --stack only when not
    given), TMP being a private copy of the stack file without environment: whose config: holds the
    resolved configuration. Secrets are secure: values of the stack's own secrets provider: encrypted
    here for the passphrase provider (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE), set
    with \`pulumi config set --secret --config-file TMP\` for any other (Pulumi Cloud, KMS, Vault…).
Use it with the Pulumi commands that read the stack's configuration (up, preview, refresh, destroy,
import, watch, config); others refuse --config-file. The temporary files are removed when the command ends. Its output is not filtered (Pulumi masks
secrets itself). SIGINT, SIGTERM and SIGHUP are passed to it; its exit status (128 + N when signal N
ended it) is that of openesc.`;

/** `openesc stack run --stack NAME -- pulumi up …`: Pulumi with the stack's environment resolved by OpenESC. */
export function stackRunCommand(ctx: CliContext): Command {
  const cmd = new Command("run")
    .summary("run a Pulumi command with the stack's environment resolved")
    .description("run a Pulumi command for a stack whose file names an environment, on any state backend")
    .argument("[command...]", "the Pulumi command and its arguments, after --");
  withStackOptions(cmd, { org: true });
  withConnection(cmd);
  cmd.addHelpText("after", HELP);
  withExamples(cmd, ["openesc stack run --stack dev -- pulumi up --yes", "openesc stack run --cwd infra --stack prod -- pulumi preview --diff"]);
  return cmd.action(async (command: string[], flags: StackFlags) => {
    if (command.length === 0) throw usageError("no command to run: openesc stack run --stack NAME -- pulumi up …");
    if (command.some((a) => a === "--config-file" || a.startsWith("--config-file="))) throw usageError("--config-file is what openesc stack run passes: leave it out");
    const stack = stackName(flags);
    const resolved = await resolveForCli(ctx, flags);
    const pulumi = /^pulumi(\.exe)?$/.test(basename(command[0] as string)) ? (command[0] as string) : "pulumi";
    const cwd = flags.cwd !== undefined && resolve(flags.cwd) !== process.cwd() ? resolve(flags.cwd) : undefined;
    const dir = mkdtempSync(join(tmpdir(), "openesc-stack-"));
    const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
    process.on("exit", removeDir);
    const temp = createTempFileSet();
    let status: number;
    try {
      const configFile = join(dir, `Pulumi.${basename(stack)}.yaml`);
      const rendered = await renderForRun(resolved, ctx.env);
      writeFileSync(configFile, rendered.text, { mode: 0o600, flag: "wx" });
      for (const secret of rendered.pendingSecrets) await setSecret(pulumi, { stack, configFile, cwd, env: ctx.env }, secret);
      const env: NodeJS.ProcessEnv = { ...ctx.env };
      for (const [name, v] of Object.entries(resolved.environmentVariables)) env[name] = v.value;
      // files come after the variables: a file beats a variable of the same name
      for (const [name, f] of Object.entries(resolved.files)) env[name] = temp.write(f.value);
      const args = pulumiArgs(command, stack, configFile, cwd);
      status = await runChild({
        command: args[0] as string,
        args: args.slice(1),
        env,
        secrets: undefined,
        stdout: ctx.stdout,
        stderr: ctx.stderr,
        inheritOutput: ctx.stdout === process.stdout && ctx.stderr === process.stderr,
      });
    } finally {
      temp.remove();
      removeDir();
      process.removeListener("exit", removeDir);
    }
    if (status !== 0) throw new CommandExit(status);
  });
}

/** The temporary stack file: secrets encrypted here for a passphrase stack, left pending otherwise. */
async function renderForRun(resolved: ResolvedStack, env: NodeJS.ProcessEnv): Promise<StackConfigFile> {
  const provider = resolved.stackFile.secretsProvider;
  const hasSecrets = Object.values(resolved.config).some((e) => hasPlainSecret(e.node));
  if (provider.kind !== "passphrase" || !hasSecrets) return renderStackConfigFile(resolved);
  let crypter = resolved.passphraseCrypter;
  if (crypter === undefined) {
    const passphrase = passphraseFrom(env);
    if (passphrase === undefined) throw new CliError(NO_PASSPHRASE);
    crypter = await createPassphraseCrypter(passphrase, provider.encryptionSalt);
  }
  return renderStackConfigFile(resolved, (plaintext) => crypter.encrypt(plaintext));
}

function hasPlainSecret(node: ResolvedStack["config"][string]["node"]): boolean {
  if (node.kind === "string") return node.secret;
  if (node.kind === "array") return node.items.some(hasPlainSecret);
  if (node.kind === "object") return Object.values(node.members).some(hasPlainSecret);
  return false;
}

/** The command with `--stack` (unless given) and `--config-file` added before any `--`. */
export function pulumiArgs(command: readonly string[], stack: string, configFile: string, cwd: string | undefined): string[] {
  const [bin, ...rest] = command;
  const dashes = rest.indexOf("--");
  const head = dashes < 0 ? rest : rest.slice(0, dashes);
  const tail = dashes < 0 ? [] : rest.slice(dashes);
  const hasStack = head.some((a) => a === "--stack" || a === "-s" || a.startsWith("--stack=") || (a.startsWith("-s") && a.length > 2 && !a.startsWith("--")));
  const extra = [...(hasStack ? [] : ["--stack", stack]), "--config-file", configFile, ...(cwd !== undefined ? ["--cwd", cwd] : [])];
  return [bin as string, ...head, ...extra, ...tail];
}

/** `pulumi config set --secret --raw [--path] KEY` with the value on stdin, so that it never shows in a process list. */
async function setSecret(
  pulumi: string,
  where: { readonly stack: string; readonly configFile: string; readonly cwd: string | undefined; readonly env: NodeJS.ProcessEnv },
  secret: PendingSecret,
): Promise<void> {
  const key = secret.path.length === 0 ? secret.key : propertyPath(secret.key, secret.path);
  // --raw: the value is stdin exactly (Pulumi otherwise drops a trailing newline, which a PEM file needs)
  const args = ["config", "set", "--secret", "--raw", ...(secret.path.length > 0 ? ["--path"] : []), "--stack", where.stack, "--config-file", where.configFile, ...(where.cwd !== undefined ? ["--cwd", where.cwd] : []), key];
  const child = spawn(pulumi, args, { env: where.env, stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  child.stdin.end(secret.value);
  const code = await new Promise<number>((resolveCode, reject) => {
    child.once("error", (e: NodeJS.ErrnoException) => reject(new CliError(`cannot run ${pulumi} to encrypt ${key}: ${e.code === "ENOENT" ? "command not found" : e.message}`)));
    child.once("close", (c) => resolveCode(c ?? 1));
  });
  if (code !== 0) {
    const last = stderr.trim().split("\n").pop() ?? "";
    throw new CliError(`\`${pulumi} config set --secret ${key}\` failed (exit ${code})${last !== "" ? `: ${last}` : ""}`);
  }
}
