import { Command } from "commander";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { TokenSchema, type Token } from "../../gen/openesc/v1/token_pb.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { allPages, formatTime, messageJson, outputFormat, writeJson, writeTable } from "../output.js";

interface Flags extends ClientFlags {
  readonly all?: boolean;
}

/** `openesc admin token list`: the org's tokens, newest first. */
export function adminTokenListCommand(ctx: CliContext): Command {
  const cmd = new Command("list")
    .summary("list API tokens")
    .alias("ls")
    .description("list the API tokens of your organization, newest first (never their secrets)")
    .option("-a, --all", "include revoked and expired tokens");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc admin token list", "openesc admin token ls --all --output json"]);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const tokens = await allPages(async (pageToken) => {
      const page = await client.tokens.listTokens({ includeInactive: flags.all === true, pageSize: 1000, pageToken });
      return { items: page.tokens, next: page.nextPageToken };
    });
    if (format === "json") return void writeJson(ctx, tokens.map((t) => messageJson(TokenSchema, t)));
    writeTable(
      ctx,
      ["ID", "DESCRIPTION", "IDENTITY", "CREATED", "EXPIRES", "LAST USED", "STATUS"],
      tokens.map((t) => [t.id, t.description, t.identity, formatTime(t.createTime), t.expireTime === undefined ? "never" : formatTime(t.expireTime), formatTime(t.lastUseTime), status(t)]),
    );
  });
}

function status(t: Token): string {
  if (t.revokeTime !== undefined) return "revoked";
  if (t.expireTime !== undefined && millis(t.expireTime) <= Date.now()) return "expired";
  return "active";
}

function millis(ts: Timestamp): number {
  return Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6);
}
