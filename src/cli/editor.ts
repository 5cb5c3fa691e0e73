import { spawn } from "node:child_process";
import { CliError, type CliContext } from "./context.js";

/**
 * The editor command: `--editor`, else `$VISUAL`, else `$EDITOR`, else `vi` on a terminal. Without
 * a terminal nothing is guessed (an interactive editor would wait for input forever): usage error.
 */
export function editorCommand(ctx: CliContext, flag: string | undefined): string {
  for (const candidate of [flag, ctx.env.VISUAL, ctx.env.EDITOR]) {
    if (candidate !== undefined && candidate.trim() !== "") return candidate;
  }
  if (ctx.stdin.isTTY === true) return "vi";
  throw new CliError("no editor: set $VISUAL or $EDITOR, pass --editor CMD, or give the definition with -f FILE", 2);
}

/**
 * Runs the editor on `file` through the shell, so that commands with arguments (`code --wait`)
 * work, attached to the terminal. Resolves when it exits 0; a failure or signal is a CliError.
 */
export function runEditor(ctx: CliContext, command: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", `${command} "$1"`, "openesc-editor", file], { stdio: "inherit", env: ctx.env });
    child.on("error", (e) => reject(new CliError(`cannot run the editor "${command}": ${e.message}`)));
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new CliError(`the editor "${command}" ${signal !== null ? `was killed by ${signal}` : `exited with status ${code}`}; nothing was saved`));
    });
  });
}
