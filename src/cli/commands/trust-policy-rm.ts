import { Command } from "commander";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";

interface Flags extends ClientFlags {
  readonly org?: string;
}

/** `openesc trust-policy rm NAME`. */
export function trustPolicyRmCommand(ctx: CliContext): Command {
  const cmd = new Command("rm")
    .summary("delete a trust policy")
    .description("delete an OIDC trust policy; tokens already exchanged live until they expire (needs organization admin)")
    .argument("<name>", "the policy's name")
    .option("--org <org>", "the organization (default: yours)");
  withConnection(cmd);
  withExamples(cmd, ["openesc trust-policy rm gha"]);
  return cmd.action(async (name: string, flags: Flags) => {
    const client = createCliClient(ctx, flags);
    await client.trustPolicies.deleteTrustPolicy({ org: flags.org ?? client.defaultOrg, name });
    ctx.stdout.write(`Deleted trust policy ${name}.\n`);
  });
}
