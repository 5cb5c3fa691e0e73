import { Command } from "commander";
import { createCliClient, type CliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { formatReference, refKey, type EnvironmentRef } from "../reference.js";
import { unifiedDiff } from "../unified-diff.js";

/** `openesc env diff REF[@A] [REF2][@B]`: a unified diff of two definitions. */
export function envDiffCommand(ctx: CliContext): Command {
  const cmd = new Command("diff")
    .summary("diff two definitions")
    .description(
      "show a unified diff of two definitions: REF@A against REF2@B, where REF2 defaults to REF and each " +
        "version to latest (prints nothing when they are equal)",
    )
    .argument("<ref>", "[org/][project/]env[@version]")
    .argument("[other]", "[org/][project/]env[@version], or @version of the same environment");
  withConnection(cmd);
  withExamples(cmd, [
    "openesc env diff payments/dev@1            # revision 1 against the latest",
    "openesc env diff payments/dev@1 @stable",
    "openesc env diff payments/dev payments/prod",
    "openesc env diff default/payments/dev@2 default/payments/prod@stable",
  ]);
  return cmd.action(async (refText: string, otherText: string | undefined, flags: ClientFlags) => {
    const client = createCliClient(ctx, flags);
    const from = referenceArg(refText, client.defaultOrg, "optional");
    let to: EnvironmentRef;
    if (otherText === undefined) to = { ...from, version: "latest" };
    else if (otherText.startsWith("@")) to = referenceArg(`${formatReference(from)}${otherText}`, client.defaultOrg, "required");
    else to = referenceArg(otherText, client.defaultOrg, "optional");
    const [a, b] = await Promise.all([definitionAt(client, from), definitionAt(client, to)]);
    ctx.stdout.write(unifiedDiff(a.definition, b.definition, a.label, b.label));
  });
}

async function definitionAt(client: CliClient, ref: EnvironmentRef): Promise<{ definition: string; label: string }> {
  const got = await client.environments.getEnvironment({ ...refKey(ref), version: ref.version ?? "" });
  return { definition: got.revision?.definition ?? "", label: `${formatReference(ref)}@${got.revision?.number ?? 0n}` };
}
