import { Command } from "commander";
import { stackEnvironments } from "../../pulumi/index.js";
import { withExamples, withOutput } from "../command-options.js";
import type { CliContext } from "../context.js";
import { outputFormat, writeJson } from "../output.js";
import { stackFileOf, withStackOptions, type StackFlags } from "./stack-common.js";
import { editError, readStackText } from "./stack-env-common.js";

/** `openesc stack env ls --stack NAME`: the environments the stack imports, in order. */
export function stackEnvLsCommand(ctx: CliContext): Command {
  const cmd = new Command("ls").description("list the environments a stack imports, in merge order (later wins)").option("--json", "print a JSON array (the same as --output json)");
  withStackOptions(cmd, { org: false });
  // --output json like every other listing (cli.md); --json stays for the scripts that use it
  withOutput(cmd);
  withExamples(cmd, ["openesc stack env ls --stack dev", "openesc stack env ls --stack dev --output json"]);
  return cmd.action((flags: StackFlags & { json?: boolean; output?: string }) => {
    const json = flags.json === true || outputFormat(flags) === "json";
    const path = stackFileOf(flags);
    let names: string[];
    try {
      names = stackEnvironments(readStackText(path));
    } catch (e) {
      throw editError(path, e);
    }
    if (json) writeJson(ctx, names);
    else for (const name of names) ctx.stdout.write(`${name}\n`);
  });
}
