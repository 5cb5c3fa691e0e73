import { Command } from "commander";
import { OrganizationSchema } from "../../gen/openesc/v1/organization_pb.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { messageJson, outputFormat, writeJson } from "../output.js";

interface Flags extends ClientFlags {
  readonly description?: string;
}

/** `openesc org create NAME`: needs server admin (an admin of org `default`). */
export function orgCreateCommand(ctx: CliContext): Command {
  const cmd = new Command("create")
    .summary("create an organization")
    .description("create an organization (needs server admin: an admin of organization `default`)")
    .argument("<name>", "the organization's name")
    .option("--description <text>", "what the organization is for");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc org create acme", "openesc org create acme --description 'ACME Corp' --output json"]);
  return cmd.action(async (name: string, flags: Flags) => {
    const format = outputFormat(flags);
    const res = await createCliClient(ctx, flags).organizations.createOrganization({ name, description: flags.description ?? "" });
    if (format === "json") return void writeJson(ctx, res.organization === undefined ? null : messageJson(OrganizationSchema, res.organization));
    ctx.stdout.write(`Created organization ${name}.\n`);
  });
}
