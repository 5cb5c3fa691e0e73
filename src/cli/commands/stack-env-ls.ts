import { Command } from "commander";
import { stackEnvironments } from "../../pulumi/index.js";
import { withExamples } from "../command-options.js";
import type { CliContext } from "../context.js";
import { writeJson } from "../output.js";
import { stackFileOf, withStackOptions, type StackFlags } from "./stack-common.js";
import { editError, readStackText } from "./stack-env-common.js";

/** `openesc stack env ls --stack NAME`: the environments the stack imports, in order. */
export function stackEnvLsCommand(ctx: CliContext): Command {
  const cmd = new Command("ls").description("list the environments a stack imports, in merge order (later wins)").option("--json", "print a JSON array");
  withStackOptions(cmd, { org: false });
  withExamples(cmd, ["openesc stack env ls --stack dev"]);
  return cmd.action((flags: StackFlags & { json?: boolean }) => {
    const path = stackFileOf(flags);
    let names: string[];
    try {
      names = stackEnvironments(readStackText(path));
    } catch (e) {
      throw editError(path, e);
    }
    if (flags.json === true) writeJson(ctx, names);
    else for (const name of names) ctx.stdout.write(`${name}\n`);
  });
}
