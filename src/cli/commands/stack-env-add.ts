import { Command } from "commander";
import { addStackEnvironments } from "../../pulumi/index.js";
import { withExamples } from "../command-options.js";
import type { CliContext } from "../context.js";
import { stackFileOf, withStackOptions, type StackFlags } from "./stack-common.js";
import { editError, readStackText, writeStackText } from "./stack-env-common.js";

/** `openesc stack env add --stack NAME ENV…`: appends environments to the stack's `environment:` list. */
export function stackEnvAddCommand(ctx: CliContext): Command {
  const cmd = new Command("add")
    .description("append environments to a stack's environment: list (comments and layout of the file kept)")
    .argument("<env...>", "environment names: env, project/env, with an optional @revision or @tag");
  withStackOptions(cmd, { org: false });
  withExamples(cmd, ["openesc stack env add --stack dev payments/dev", "openesc stack env add --stack prod payments/prod@stable aws/prod"]);
  return cmd.action((names: string[], flags: StackFlags) => {
    const path = stackFileOf(flags);
    try {
      writeStackText(path, addStackEnvironments(readStackText(path), names));
    } catch (e) {
      throw editError(path, e);
    }
    ctx.stderr.write(`added ${names.join(", ")} to ${path}\n`);
  });
}
