/**
 * Ends a command with this exit status and prints nothing: `openesc run` passes its child's status
 * through (the child's code, or 128 + the signal's number).
 */
export class CommandExit extends Error {
  override readonly name = "CommandExit";
  constructor(readonly exitCode: number) {
    super(`exit status ${exitCode}`);
  }
}
