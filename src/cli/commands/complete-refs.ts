import { Command } from "commander";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { allPages } from "../output.js";
import { DEFAULT_PROJECT } from "../reference.js";

/** The name of the hidden command completion scripts call for environment references. */
export const COMPLETE_REFS_COMMAND = "__complete-refs";

/** How long a TAB may wait for the server before it completes nothing. */
const TIMEOUT_MS = 3000;

/**
 * `openesc __complete-refs`: the environments the caller can read, one reference per line, in every
 * form that names them (`env` in project default, `project/env` in the default org, `org/project/env`).
 * For shell completion: any failure prints nothing and exits 0, so a TAB never shows an error.
 */
export function completeRefsCommand(ctx: CliContext): Command {
  const cmd = new Command(COMPLETE_REFS_COMMAND).description("list environment references for shell completion (used by `openesc completion`)");
  withConnection(cmd);
  withExamples(cmd, ["openesc __complete-refs"]);
  return cmd.action(async (flags: ClientFlags) => {
    const client = createCliClient(ctx, flags);
    let refs: string[];
    try {
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
