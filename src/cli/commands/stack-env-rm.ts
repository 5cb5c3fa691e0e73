import { Command } from "commander";
import { removeStackEnvironment } from "../../pulumi/index.js";
import { withExamples } from "../command-options.js";
import type { CliContext } from "../context.js";
import { stackFileOf, withStackOptions, type StackFlags } from "./stack-common.js";
import { editError, readStackText, writeStackText } from "./stack-env-common.js";

/** `openesc stack env rm --stack NAME ENV`: removes an environment from the stack's `environment:` list. */
export function stackEnvRmCommand(ctx: CliContext): Command {
  const cmd = new Command("rm")
    .description("remove an environment from a stack's environment: list (comments and layout of the file kept)")
    .argument("<env>", "the environment name as the list writes it");
  withStackOptions(cmd, { org: false });
  withExamples(cmd, ["openesc stack env rm --stack dev payments/dev"]);
  return cmd.action((name: string, flags: StackFlags) => {
    const path = stackFileOf(flags);
    try {
      writeStackText(path, removeStackEnvironment(readStackText(path), name));
    } catch (e) {
      throw editError(path, e);
    }
    ctx.stderr.write(`removed ${name} from ${path}\n`);
  });
}
