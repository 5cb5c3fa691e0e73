/**
 * The flags the `openesc audit …` commands share: which chain (`--org`, `--system`) and which
 * events (`--env`, `--since`, `--until`, `--actor`, `--action`, `--outcome`), turned into the
 * request fields of AuditService.
 */
import { timestampFromMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { Command } from "commander";
import { usageError } from "./context.js";
import { referenceArg } from "./command-options.js";

export interface AuditScopeFlags {
  readonly org?: string;
  readonly system?: boolean;
}

export interface AuditFilterFlags extends AuditScopeFlags {
  readonly env?: string;
  readonly since?: string;
  readonly until?: string;
  readonly actor?: string;
  readonly action?: string;
  readonly outcome?: string;
}

/** The request's filter fields (AuditEventFilter). */
export interface AuditFilterFields {
  startTime?: Timestamp;
  endTime?: Timestamp;
  actor: string;
  project: string;
  environment: string;
  action: string;
  outcome: string;
}

/** Adds `--org` and `--system`. */
export function withAuditScope(cmd: Command): Command {
  return cmd
    .option("--org <org>", "the organization whose audit log to read (default: the login's org)")
    .option("--system", "the system chain: calls that named no organization and had no valid token");
}

/** Adds the event filters. */
export function withAuditFilter(cmd: Command): Command {
  return cmd
    .option("--env <ref>", "only events of this environment ([org/]project/env)")
    .option("--since <time>", "only events at or after this time (RFC 3339, or a duration ago: 30m, 12h, 7d)")
    .option("--until <time>", "only events before this time (same forms as --since)")
    .option("--actor <login>", "only events of this caller")
    .option("--action <rpc>", "only this RPC, e.g. openesc.v1.EnvironmentService/UpdateEnvironment")
    .option("--outcome <code>", "only this outcome: ok, permission_denied, unauthenticated, …");
}

/** The `org` field: "" for the system chain. */
export function auditOrgOf(flags: AuditFilterFlags, defaultOrg: string): string {
  if (flags.system === true) {
    if (flags.org !== undefined) throw usageError("--system and --org exclude each other");
    return "";
  }
  const envOrg = flags.env === undefined ? undefined : referenceArg(flags.env, flags.org ?? defaultOrg, "none").org;
  if (flags.org !== undefined && envOrg !== undefined && envOrg !== flags.org) throw usageError(`--env ${flags.env} is not in --org ${flags.org}`);
  return flags.org ?? envOrg ?? defaultOrg;
}

/** The filter fields of the flags; times relative to `now` (ms). */
export function auditFilterOf(flags: AuditFilterFlags, defaultOrg: string, now: number): AuditFilterFields {
  const ref = flags.env === undefined ? undefined : referenceArg(flags.env, flags.org ?? defaultOrg, "none");
  const since = flags.since === undefined ? undefined : parseTime("--since", flags.since, now);
  const until = flags.until === undefined ? undefined : parseTime("--until", flags.until, now);
  return {
    ...(since === undefined ? {} : { startTime: timestampFromMs(since) }),
    ...(until === undefined ? {} : { endTime: timestampFromMs(until) }),
    actor: flags.actor ?? "",
    project: ref?.project ?? "",
    environment: ref?.environment ?? "",
    action: flags.action ?? "",
    outcome: flags.outcome ?? "",
  };
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** RFC 3339 / ISO 8601, or `N[smhdw]` meaning that long before `now`. */
export function parseTime(flag: string, text: string, now: number): number {
  const relative = /^(\d{1,9})([smhdw])$/.exec(text);
  if (relative !== null) return now - Number(relative[1]) * (UNIT_MS[relative[2] as string] as number);
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw usageError(`${flag} "${text}": expected a time (2026-01-02T15:04:05Z, 2026-01-02) or a duration ago (30m, 12h, 7d)`);
}
