import { Command } from "commander";
import { interpolateArgs } from "../../esc/index.js";
import { createCliClient } from "../client.js";
import { CommandExit } from "../command-exit.js";
import { referenceArg, withConnection, withExamples, type ClientFlags } from "../command-options.js";
import { usageError, type CliContext } from "../context.js";
import { writeWarnings } from "../errors.js";
import { openForCli } from "../open-environment.js";
import { formatReference } from "../reference.js";
import { runChild } from "../run-child.js";
import { createTempFileSet } from "../temp-files.js";

interface Flags extends ClientFlags {
  readonly interactive?: boolean;
}

const HELP = `
The environment is opened (an environment with errors is not run). Its environmentVariables are
exported, after (so overriding) the inherited environment; each entry of files is written to a new
private file (mode 0600) esc-* in the OS temp directory, its variable holds the path, and the files
are removed when the command ends. The command runs directly, without a shell.

In arguments, \${path} is replaced by the value at that property path in its string form (nothing
when it does not exist; quote it from your shell); $$ is a literal $.

Unless -i, every line the command prints on stdout and stderr has each secret of 3 bytes or more
(secret variables, secret file contents, secret values put into arguments) replaced by [secret].
SIGINT, SIGTERM and SIGHUP are passed to the command; its exit status (128 + N when signal N ended
it) is the exit status of openesc.`;

/** `openesc run REF -- CMD ARGS…` (also `openesc env run`): a command in an opened environment (cli.md, §18.5). */
export function runCommand(ctx: CliContext): Command {
  const cmd = new Command("run")
    .summary("run a command with an environment's variables and files")
    .description("open an environment and run a command with its environmentVariables exported and its files written to temporary files")
    .argument("<ref>", "[org/][project/]env[@version] (or env:version)")
    .argument("[command...]", "the command and its arguments, after --")
    .option("-i, --interactive", "do not filter the command's output (it keeps the terminal)");
  cmd.addHelpText("after", HELP);
  withConnection(cmd);
  withExamples(cmd, [
    "openesc run default/payments/dev -- ./deploy.sh",
    "openesc run payments/dev@stable -- psql '${db.url}'",
    "openesc env run payments/dev -i -- bash",
  ]);
  return cmd.action(async (refText: string, command: string[], flags: Flags) => {
    if (command.length === 0) throw usageError("no command to run: openesc run REF -- COMMAND [ARGS…]");
    const client = createCliClient(ctx, flags);
    // esc accepts env:version as well as env@version (§18.5)
    const ref = referenceArg(refText.includes("@") ? refText : refText.replace(":", "@"), client.defaultOrg, "optional");
    const opened = await openForCli(client, ref);
    writeWarnings(ctx, opened.warnings, formatReference(ref));
    const { args, secrets: argumentSecrets } = interpolateArgs(command, opened.value);
    const temp = createTempFileSet();
    let status: number;
    try {
      const env: NodeJS.ProcessEnv = { ...ctx.env };
      for (const v of opened.variables) env[v.name] = v.value;
      for (const f of opened.files) env[f.name] = temp.write(f.value);
      const secrets = [
        ...opened.variables.filter((v) => v.secret).map((v) => v.value),
        ...opened.files.filter((f) => f.secret).map((f) => f.value),
        ...argumentSecrets,
      ];
      status = await runChild({
        command: args[0] as string,
        args: args.slice(1),
        env,
        secrets: flags.interactive === true ? undefined : secrets,
        stdout: ctx.stdout,
        stderr: ctx.stderr,
        inheritOutput: ctx.stdout === process.stdout && ctx.stderr === process.stderr,
      });
    } finally {
      temp.remove();
    }
    if (status !== 0) throw new CommandExit(status);
  });
}
