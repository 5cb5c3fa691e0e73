import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { registerServe } from "./serve.js";

/** Registers every command; `done` receives the promise of a command's work. */
export function registerCommands(program: Command, ctx: CliContext, done: (work: Promise<void>) => void): void {
  registerServe(program, ctx, done);
}
