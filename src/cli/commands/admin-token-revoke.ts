import { Command } from "commander";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";

/** `openesc admin token revoke ID`. */
export function adminTokenRevokeCommand(ctx: CliContext): Command {
  const cmd = new Command("revoke")
    .summary("revoke an API token").description("revoke an API token: it is refused from then on").argument("<id>", "the token's id (see admin token list)");
  withConnection(cmd);
  withExamples(cmd, ["openesc admin token revoke 26f10c8fdb5adba4"]);
  return cmd.action(async (id: string, flags: ClientFlags) => {
    const client = createCliClient(ctx, flags);
    await client.tokens.revokeToken({ id });
    ctx.stdout.write(`Revoked token ${id}.\n`);
  });
}
