import { Command } from "commander";
import { auditOrgOf, withAuditScope, type AuditScopeFlags } from "../audit-flags.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { CliError, usageError, type CliContext } from "../context.js";
import { outputFormat, writeJson } from "../output.js";

type Flags = ClientFlags & AuditScopeFlags & { readonly after?: string };

/** `openesc audit verify`: checks an org's hash chain; exit 1 naming the first broken event. */
export function auditVerifyCommand(ctx: CliContext): Command {
  const cmd = new Command("verify").summary("verify the audit log's hash chain").description(
    "recompute every event's hash and link; exit 1 naming the first broken event. Keep the printed last hash elsewhere: a later verify that does not reach it shows a rewritten tail",
  );
  withOutput(withConnection(withAuditScope(cmd)));
  cmd.option("--after <seq:hash>", "verify only the events after an anchor printed by an earlier verify (they must link to it)");
  withExamples(cmd, ["openesc audit verify", "openesc audit verify --org acme --output json", "openesc audit verify --after 1200:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"]);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const org = auditOrgOf(flags, client.defaultOrg);
    const anchor = anchorOf(flags.after);
    // Verifying millions of events takes longer than the default call time-out.
    const result = await client.audit.verifyAuditLog({ org, ...anchor }, { timeoutMs: 0 });
    const name = org === "" ? "the system chain" : `org ${org}`;
    if (format === "json") {
      writeJson(ctx, {
        org,
        ok: result.ok,
        eventsChecked: Number(result.eventsChecked),
        lastSequence: Number(result.lastSequence),
        lastHash: result.lastHash,
        ...(result.ok ? {} : { firstBrokenSequence: Number(result.firstBrokenSequence), reason: result.reason }),
      });
    } else if (result.ok) {
      ctx.stdout.write(`audit log of ${name}: ${result.eventsChecked} event${result.eventsChecked === 1n ? "" : "s"} verified; anchor ${result.lastSequence}:${result.lastHash}\n`);
    }
    if (!result.ok) throw new CliError(`audit log of ${name} is broken at event ${result.firstBrokenSequence}: ${result.reason}`);
  });
}

/** `--after SEQ:HASH` → the request's anchor fields. */
function anchorOf(text: string | undefined): { afterSequence: bigint; afterHash: string } {
  if (text === undefined) return { afterSequence: 0n, afterHash: "" };
  const match = /^([1-9]\d{0,15}):([0-9a-f]{64})$/.exec(text);
  if (match === null) throw usageError(`--after "${text}": expected SEQ:HASH as printed by an earlier verify`);
  return { afterSequence: BigInt(match[1] as string), afterHash: match[2] as string };
}
