import { Command } from "commander";
import { MemberSchema } from "../../gen/openesc/v1/member_pb.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { allPages, formatTime, messageJson, outputFormat, writeJson, writeTable } from "../output.js";

interface Flags extends ClientFlags {
  readonly org?: string;
}

/** `openesc member ls`: an organization's users and their roles. */
export function memberLsCommand(ctx: CliContext): Command {
  const cmd = new Command("ls").alias("list").summary("list users").description("list an organization's users and their roles").option("--org <org>", "the organization (default: yours)");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc member ls", "openesc member ls --org acme --output json"]);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const members = await allPages(async (pageToken) => {
      const page = await client.members.listMembers({ org: flags.org ?? client.defaultOrg, pageSize: 1000, pageToken });
      return { items: page.members, next: page.nextPageToken };
    });
    if (format === "json") return void writeJson(ctx, members.map((m) => messageJson(MemberSchema, m)));
    writeTable(ctx, ["LOGIN", "ROLE", "CREATED"], members.map((m) => [m.login, m.role, formatTime(m.createTime)]));
  });
}
