import { Command } from "commander";
import { TrustPolicySchema } from "../../gen/openesc/v1/trust_policy_pb.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { messageJson, outputFormat, writeJson, writeTable } from "../output.js";

interface Flags extends ClientFlags {
  readonly org?: string;
}

/** `openesc trust-policy ls`. */
export function trustPolicyLsCommand(ctx: CliContext): Command {
  const cmd = new Command("ls").alias("list").summary("list trust policies").description("list an organization's OIDC trust policies (needs organization admin)").option("--org <org>", "the organization (default: yours)");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc trust-policy ls --output json"]);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const res = await client.trustPolicies.listTrustPolicies({ org: flags.org ?? client.defaultOrg });
    if (format === "json") return void writeJson(ctx, res.policies.map((p) => messageJson(TrustPolicySchema, p)));
    writeTable(
      ctx,
      ["NAME", "ISSUER", "AUDIENCE", "SUBJECT", "IDENTITY", "MAX LIFETIME"],
      res.policies.map((p) => [p.name, p.issuer, p.audience, p.subjectPattern, p.identity, `${Number(p.maxLifetime?.seconds ?? 0n)}s`]),
    );
  });
}
