import { Command } from "commander";
import { adminTokenListCommand } from "./admin-token-list.js";
import type { CliContext } from "../context.js";

/** `openesc token ls`: your tokens (every token of the organization for an admin), with scope and last use. */
export function tokenLsCommand(ctx: CliContext): Command {
  const cmd = adminTokenListCommand(ctx);
  cmd.name("ls").aliases(["list"]);
  return cmd.description("list API tokens, newest first: yours, or every token of the organization for an organization admin (never their secrets)");
}
