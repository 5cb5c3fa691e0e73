/** OIDC trust policies of an organization (token exchange, issue 6). */
import { Code, ConnectError } from "@connectrpc/connect";
import type { Kysely } from "kysely";
import type { AccessTables } from "./access-tables.js";
import type { Database } from "./database.js";
import { isUniqueViolation } from "./errors.js";

export interface TrustPolicyRecord {
  readonly org: string;
  readonly name: string;
  readonly issuer: string;
  readonly audience: string;
  readonly subjectPattern: string;
  readonly claimConditions: Readonly<Record<string, string>>;
  readonly identityId: string;
  /** Filled in by list/get: the identity's login and kind. */
  readonly identityLogin: string;
  readonly identityKind: string;
  readonly maxLifetimeSeconds: number;
  readonly scopePermission: string | null;
  readonly scopeResources: readonly string[];
  readonly createdAt: Date;
}

export type NewTrustPolicy = Omit<TrustPolicyRecord, "createdAt" | "identityLogin" | "identityKind">;

export interface TrustPolicyRepository {
  /** AlreadyExists when the name is taken. */
  create(policy: NewTrustPolicy): Promise<void>;
  /** Ordered by name. */
  list(org: string): Promise<TrustPolicyRecord[]>;
  /** NotFound when missing. */
  delete(org: string, name: string): Promise<void>;
}

/** A TrustPolicyRepository over `db` (the database or a transaction). */
export function createTrustPolicyRepository(db: Kysely<Database>, now: () => number = Date.now): TrustPolicyRepository {
  const q = db.withTables<AccessTables>();
  return {
    async create(p) {
      const exists = () => new ConnectError(`trust policy "${p.name}" already exists in organization "${p.org}"`, Code.AlreadyExists);
      const taken = await q.selectFrom("trust_policies").select("name").where("org", "=", p.org).where("name", "=", p.name).executeTakeFirst();
      if (taken !== undefined) throw exists();
      try {
        await q
          .insertInto("trust_policies")
          .values({
            org: p.org,
            name: p.name,
            issuer: p.issuer,
            audience: p.audience,
            subject_pattern: p.subjectPattern,
            claim_conditions: JSON.stringify(p.claimConditions),
            identity_id: p.identityId,
            max_lifetime_seconds: p.maxLifetimeSeconds,
            scope_permission: p.scopePermission,
            scope_resources: p.scopeResources.length === 0 ? null : JSON.stringify(p.scopeResources),
            created_at: now(),
          })
          .execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw exists();
        throw err;
      }
    },
    async list(org) {
      const rows = await q
        .selectFrom("trust_policies as p")
        .innerJoin("identities as i", "i.id", "p.identity_id")
        .selectAll("p")
        .select(["i.login", "i.kind"])
        .where("p.org", "=", org)
        .orderBy("p.name")
        .execute();
      return rows.map((r) => ({
        org: r.org,
        name: r.name,
        issuer: r.issuer,
        audience: r.audience,
        subjectPattern: r.subject_pattern,
        claimConditions: JSON.parse(r.claim_conditions) as Record<string, string>,
        identityId: r.identity_id,
        identityLogin: r.login,
        identityKind: r.kind,
        maxLifetimeSeconds: Number(r.max_lifetime_seconds),
        scopePermission: r.scope_permission,
        scopeResources: r.scope_resources === null ? [] : (JSON.parse(r.scope_resources) as string[]),
        createdAt: new Date(Number(r.created_at)),
      }));
    },
    async delete(org, name) {
      const there = await q.selectFrom("trust_policies").select("name").where("org", "=", org).where("name", "=", name).executeTakeFirst();
      if (there === undefined) throw new ConnectError(`trust policy "${name}" not found in organization "${org}"`, Code.NotFound);
      await q.deleteFrom("trust_policies").where("org", "=", org).where("name", "=", name).execute();
    },
  };
}
