/**
 * Every migration, by name, in order. A static record (no directory scan) so that bundling and
 * the compiled `dist/` work the same. Names sort in apply order; never rename or edit a released one.
 */
import type { Kysely } from "kysely";
import type { StoreCapabilities } from "../dialect.js";
import * as foundation from "./0001-foundation.js";
import * as keys from "./0002-keys.js";
import * as sessions from "./0003-sessions.js";
import * as access from "./0005-access.js";
import * as oidcKeys from "./0004-oidc-keys.js";
import * as audit from "./0006-audit.js";
import * as auditTimeOrder from "./0007-audit-time-order.js";
import * as changeVersions from "./0008-change-versions.js";
import * as environmentChanges from "./0009-environment-changes.js";

/** A migration step; `caps` lets it pick dialect-specific column types without naming dialects. */
export interface StoreMigration {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, caps: StoreCapabilities): Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  down(db: Kysely<any>, caps: StoreCapabilities): Promise<void>;
}

export const MIGRATIONS: Readonly<Record<string, StoreMigration>> = {
  "0001-foundation": foundation,
  "0002-keys": keys,
  "0003-sessions": sessions,
  "0004-oidc-keys": oidcKeys,
  "0005-access": access,
  "0006-audit": audit,
  "0007-audit-time-order": auditTimeOrder,
  "0008-change-versions": changeVersions,
  "0009-environment-changes": environmentChanges,
};
