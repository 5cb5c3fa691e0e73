import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { Command } from "commander";
import { createCliClient, type CliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, type ClientFlags } from "../command-options.js";
import { CliError, type CliContext } from "../context.js";
import { readLatestDefinition, writeDefinition } from "../definition-update.js";
import { editorCommand, runEditor } from "../editor.js";
import { rpcError, staleBaseError, writeWarnings } from "../errors.js";
import { readInput } from "../read-input.js";
import { formatReference, refKey, type EnvironmentRef } from "../reference.js";

/** How many times the editor opens for one `env edit` (the first time and the reopenings after errors). */
export const MAX_EDIT_ATTEMPTS = 3;

interface Flags extends ClientFlags {
  readonly file?: string;
  readonly editor?: string;
}

/** `openesc env edit REF [-f FILE|-] [--editor CMD]`: edit the latest definition, refusing stale bases. */
export function envEditCommand(ctx: CliContext): Command {
  const cmd = new Command("edit")
    .summary("edit the definition in your editor")
    .description(
      "edit an environment's definition in $VISUAL/$EDITOR (or replace it with FILE). When the server " +
        `refuses the text, its diagnostics are shown and the editor reopens (at most ${MAX_EDIT_ATTEMPTS} times in all); ` +
        "an edit based on a revision that is no longer the latest is refused",
    )
    .argument("<ref>", "[org/][project/]env")
    .option("-f, --file <file>", 'replace the definition with FILE ("-" reads standard input) instead of editing')
    .option("--editor <command>", "the editor command (default $VISUAL, else $EDITOR, else vi)");
  withConnection(cmd);
  withExamples(cmd, [
    "openesc env edit default/payments/dev",
    "openesc env edit payments/dev --editor 'code --wait'",
    "openesc env edit payments/dev -f dev.yaml",
    "openesc env get payments/dev --definition | sed s/old/new/ | openesc env edit payments/dev -f -",
  ]);
  return cmd.action(async (refText: string, flags: Flags) => {
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    const name = formatReference(ref);
    const latest = await readLatestDefinition(client, ref);
    if (flags.file !== undefined) {
      const text = await readInput(ctx, flags.file);
      if (text === latest.definition) return void ctx.stdout.write(`No changes to ${name}.\n`);
      const { revision } = await writeDefinition(ctx, client, ref, text, latest.revision);
      return void ctx.stdout.write(`Updated ${name} to revision ${revision}.\n`);
    }
    await editLoop(ctx, client, ref, latest.definition, latest.revision, editorCommand(ctx, flags.editor));
  });
}

async function editLoop(ctx: CliContext, client: CliClient, ref: EnvironmentRef, original: string, base: bigint, editor: string): Promise<void> {
  const name = formatReference(ref);
  const dir = mkdtempSync(join(tmpdir(), "openesc-edit-"));
  const file = join(dir, `${ref.environment}.yaml`);
  writeFileSync(file, original, { mode: 0o600 });
  let keep = false;
  try {
    let refused: string | undefined;
    for (let attempt = 1; attempt <= MAX_EDIT_ATTEMPTS; attempt++) {
      await runEditor(ctx, editor, file);
      const text = readFileSync(file, "utf8");
      if (text === original) return void ctx.stdout.write(`No changes to ${name}.\n`);
      if (text === refused) {
        throw new CliError(`the definition was not changed after the errors; nothing was saved (your text is in ${file})`);
      }
      try {
        const updated = await client.environments.updateEnvironment({ ...refKey(ref), definition: text, baseRevision: base });
        writeWarnings(ctx, updated.diagnostics, name);
        return void ctx.stdout.write(`Updated ${name} to revision ${updated.revision?.number ?? 0n}.\n`);
      } catch (e) {
        if (e instanceof ConnectError && e.code === Code.Aborted) {
          throw new CliError(`${staleBaseError(name, base, e).message} (your text is in ${file})`);
        }
        if (!(e instanceof ConnectError && e.code === Code.InvalidArgument)) throw rpcError(e, name);
        const err = rpcError(e, name);
        refused = text;
        if (attempt === MAX_EDIT_ATTEMPTS) throw new CliError(`${err.message}; nothing was saved after ${MAX_EDIT_ATTEMPTS} attempts (your text is in ${file})`, 1, err.details);
        for (const line of err.details.length > 0 ? err.details : [`error: ${err.message}`]) ctx.stderr.write(`${line}\n`);
        ctx.stderr.write(`Reopening the editor to fix it (attempt ${attempt + 1} of ${MAX_EDIT_ATTEMPTS}).\n`);
      }
    }
    throw new Error("unreachable: the last attempt returns or throws");
  } catch (e) {
    if (e instanceof CliError && e.message.includes(file)) keep = true;
    throw e;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
