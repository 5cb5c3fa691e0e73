import { Command } from "commander";
import type { CliContext } from "../context.js";
import { adminTokenRevokeCommand } from "./admin-token-revoke.js";

/** `openesc token revoke ID`: your own tokens; organization admins any of the organization. */
export function tokenRevokeCommand(ctx: CliContext): Command {
  return adminTokenRevokeCommand(ctx).description("revoke an API token: it is refused from then on (your own; organization admins: any of the organization)");
}
