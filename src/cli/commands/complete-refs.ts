import { Command } from "commander";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { allPages } from "../output.js";
import { DEFAULT_PROJECT, parseReference, refKey } from "../reference.js";

/** The name of the hidden command completion scripts call for environment references. */
export const COMPLETE_REFS_COMMAND = "__complete-refs";

/** How long a TAB may wait for the server before it completes nothing. */
const TIMEOUT_MS = 3000;

/**
 * `openesc __complete-refs [WORD]`: the environments the caller can read, one reference per line, in
 * every form that names them (`env` in project default, `project/env` in the default org,
 * `org/project/env`); when WORD already has an `@`, that environment's versions (`WORD-BEFORE-@@tag`,
 * `@latest`, revision numbers). For shell completion: any failure prints nothing and exits 0.
 */
export function completeRefsCommand(ctx: CliContext): Command {
  const cmd = new Command(COMPLETE_REFS_COMMAND)
    .description("list environment references for shell completion (used by `openesc completion`)")
    .argument("[word]", "the word being completed: with an @, list that environment's versions");
  withConnection(cmd);
  withExamples(cmd, ["openesc __complete-refs", "openesc __complete-refs payments/dev@"]);
  return cmd.action(async (word: string | undefined, flags: ClientFlags) => {
    const client = createCliClient(ctx, flags);
    let refs: string[];
    try {
      if (word?.includes("@") === true) {
        refs = await versionsOf(client, word.slice(0, word.indexOf("@")));
        ctx.stdout.write(refs.map((r) => `${r}\n`).join(""));
        return;
      }
      const envs = await allPages(async (pageToken) => {
        const page = await client.environments.listEnvironments({ pageSize: 1000, pageToken }, { timeoutMs: TIMEOUT_MS });
        return { items: page.environments, next: page.nextPageToken };
      }, 10);
      refs = envs.flatMap((e) => {
        const full = `${e.org}/${e.project}/${e.name}`;
        if (e.org !== client.defaultOrg) return [full];
        return [full, `${e.project}/${e.name}`, ...(e.project === DEFAULT_PROJECT ? [e.name] : [])];
      });
    } catch {
      return;
    }
    ctx.stdout.write([...new Set(refs)].sort().map((r) => `${r}\n`).join(""));
  });
}

/** `BASE@latest`, `BASE@TAG` for each revision tag, `BASE@N` for the newest 100 revisions. */
async function versionsOf(client: ReturnType<typeof createCliClient>, base: string): Promise<string[]> {
  const parsed = parseReference(base, client.defaultOrg);
  if ("error" in parsed) return [];
  const key = refKey(parsed.value);
  const [tags, revisions] = await Promise.all([
    client.revisionTags.listRevisionTags({ ...key, pageSize: 1000 }, { timeoutMs: TIMEOUT_MS }),
    client.revisions.listRevisions({ ...key, pageSize: 100 }, { timeoutMs: TIMEOUT_MS }),
  ]);
  const names = ["latest", ...tags.tags.map((t) => t.name).filter((n) => n !== "latest"), ...revisions.revisions.filter((r) => !r.retracted).map((r) => String(r.number))];
  return [...new Set(names)].map((n) => `${base}@${n}`);
}
