import { Command } from "commander";
import { ServiceAccountSchema } from "../../gen/openesc/v1/service_account_pb.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { allPages, formatTime, messageJson, outputFormat, writeJson, writeTable } from "../output.js";

interface Flags extends ClientFlags {
  readonly org?: string;
}

/** `openesc service-account ls`. */
export function serviceAccountLsCommand(ctx: CliContext): Command {
  const cmd = new Command("ls").alias("list").summary("list service accounts").description("list an organization's service accounts").option("--org <org>", "the organization (default: yours)");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc service-account ls"]);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const accounts = await allPages(async (pageToken) => {
      const page = await client.serviceAccounts.listServiceAccounts({ org: flags.org ?? client.defaultOrg, pageSize: 1000, pageToken });
      return { items: page.serviceAccounts, next: page.nextPageToken };
    });
    if (format === "json") return void writeJson(ctx, accounts.map((a) => messageJson(ServiceAccountSchema, a)));
    writeTable(ctx, ["NAME", "CREATED"], accounts.map((a) => [a.name, formatTime(a.createTime)]));
  });
}
