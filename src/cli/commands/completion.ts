import { Argument, Command } from "commander";
import { withExamples } from "../command-options.js";
import type { CliContext } from "../context.js";
import { completionScript, SHELLS, type Shell } from "../completion-scripts.js";
import { completionTree } from "../completion-tree.js";

/**
 * `openesc completion bash|zsh|fish`: prints the shell's completion script, generated from the
 * whole command tree of `program` (read when the command runs, so every registered command is in it).
 */
export function completionCommand(ctx: CliContext, program: Command): Command {
  const cmd = new Command("completion")
    .summary("print a shell completion script")
    .description(
      "print the completion script of a shell: commands, subcommands, options and their values. " +
        "Load it in the current shell, or install it for every new one (see the examples)",
    )
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS));
  withExamples(cmd, [
    "source <(openesc completion bash)                 # bash, this shell",
    "openesc completion bash > ~/.local/share/bash-completion/completions/openesc",
    'openesc completion zsh > "${fpath[1]}/_openesc"     # zsh, then start a new shell',
    "openesc completion fish > ~/.config/fish/completions/openesc.fish",
  ]);
  return cmd.action((shell: Shell) => {
    ctx.stdout.write(completionScript(shell, completionTree(program)));
  });
}
