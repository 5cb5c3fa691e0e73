/**
 * The environment repository: environments with their revisions, revision tags and environment
 * tags. This file holds the environment lifecycle; revisions and the two kinds of tags live in
 * their own helper files behind the same interface.
 */
import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database } from "./database.js";
import { createQueryTemplate } from "./compiled-query-cache.js";
import { createEnvironmentTagMethods } from "./environment-tags.js";
import { createRevisionMethods } from "./environment-revisions.js";
import {
  appendRevision,
  etagOf,
  loadEnvironmentTags,
  requireEnvironment,
  toEnvironmentRecord,
  toRevisionRecord,
  type EnvironmentRow,
  type RevisionRow,
} from "./environment-rows.js";
import { isUniqueViolation, storeErrors } from "./errors.js";
import { decodePageToken, toPage } from "./page-token.js";
import type { EnvironmentRepository } from "./repositories.js";
import { createRepositoryContext, inTransaction, type RepositoryOptions } from "./repository-context.js";
import { createRevisionTagMethods } from "./revision-tags.js";
import { noteRevision } from "./transaction-hooks.js";
import type { EnvironmentKey, EnvironmentRecord } from "./types.js";

/**
 * The arguments of one ListEnvironments page: the filters (undefined: not filtered), the tag filter
 * as two arrays of one element per tag, and the key the page starts after (`afterOrg` undefined when
 * the org is fixed by the filter, all three undefined on the first page).
 */
type ListArgs = {
  org: string | undefined;
  project: string | undefined;
  tagNames: readonly string[];
  tagValues: readonly string[];
  afterOrg: string | undefined;
  afterProject: string | undefined;
  afterName: string | undefined;
  limit: number;
};

// A query template (compiled-query-cache.ts): list runs on every ListEnvironments call.
const selectEnvironmentPage = createQueryTemplate((db: Kysely<Database>, p: ListArgs) => {
  let query = db.selectFrom("environments").selectAll();
  if (p.org !== undefined) query = query.where("org", "=", p.org);
  if (p.project !== undefined) query = query.where("project", "=", p.project);
  p.tagNames.forEach((name, i) => {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("environment_tags as t")
          .select(sql.lit(1).as("one"))
          .whereRef("t.environment_id", "=", "environments.id")
          .where("t.name", "=", name)
          .where("t.value", "=", p.tagValues[i] as string),
      ),
    );
  });
  if (p.afterProject !== undefined && p.afterName !== undefined) {
    const [project, name] = [p.afterProject, p.afterName];
    // With the org fixed, compare (project, name) only: SQLite then seeks the unique index
    // (org = ? AND (project, name) > (?, ?)) instead of scanning the org from its first row.
    query =
      p.afterOrg === undefined
        ? query.where((eb) => eb(eb.refTuple("project", "name"), ">", eb.tuple(project, name)))
        : query.where((eb) => eb(eb.refTuple("org", "project", "name"), ">", eb.tuple(p.afterOrg as string, project, name)));
  }
  return query.orderBy("org").orderBy("project").orderBy("name").limit(p.limit);
});

/** An EnvironmentRepository over `db`: the database, or a transaction every method then joins. */
export function createEnvironmentRepository(db: Kysely<Database>, options: RepositoryOptions = {}): EnvironmentRepository {
  const ctx = createRepositoryContext(db, options);

  async function record(trx: Kysely<Database>, env: EnvironmentRow): Promise<EnvironmentRecord> {
    const tags = await loadEnvironmentTags(trx, [env.id]);
    return toEnvironmentRecord(env, tags.get(env.id) ?? {});
  }

  return {
    create(input) {
      return inTransaction(db, async (trx) => {
        const { key } = input;
        const org = await trx.selectFrom("organizations").select("name").where("name", "=", key.org).executeTakeFirst();
        if (org === undefined) throw storeErrors.organizationNotFound(key.org);
        if ((await findEnvironment(trx, key)) !== undefined) throw storeErrors.environmentExists(key);
        const now = ctx.now();
        const env: EnvironmentRow = {
          id: randomUUID(),
          org: key.org,
          project: key.project,
          name: key.name,
          latest_revision: 1,
          created_at: now,
          created_by: input.author,
          updated_at: now,
          updated_by: input.author,
          deletion_protected: 0,
        };
        const revision = firstRevision(env.id, input.definition, input.author, now);
        await insertEnvironment(trx, key, env);
        await trx.insertInto("revisions").values(revision).execute();
        noteRevision(1);
        return { environment: toEnvironmentRecord(env, {}), revision: toRevisionRecord(revision, ["latest"]) };
      });
    },

    async get(key) {
      return record(db, await requireEnvironment(ctx, db, key));
    },

    async list(filter) {
      const after = decodePageToken(filter.pageToken, ["string", "string", "string"] as const);
      const tags = Object.entries(filter.tags ?? {});
      const { rows } = await selectEnvironmentPage.execute(db, {
        org: filter.org,
        project: filter.project,
        tagNames: tags.map(([name]) => name),
        tagValues: tags.map(([, value]) => value),
        afterOrg: after === undefined || (filter.org !== undefined && filter.org === after[0]) ? undefined : after[0],
        afterProject: after?.[1],
        afterName: after?.[2],
        limit: filter.pageSize + 1,
      });
      const envTags = await loadEnvironmentTags(db, rows.slice(0, filter.pageSize).map((r) => r.id));
      return toPage(rows, filter.pageSize, (r) => toEnvironmentRecord(r, envTags.get(r.id) ?? {}), (r) => [r.org, r.project, r.name]);
    },

    update(input) {
      return inTransaction(db, async (trx) => {
        const env = await requireEnvironment(ctx, trx, input.key);
        const written = await appendRevision(ctx, trx, env, { base: input.baseRevision, definition: input.definition, author: input.author });
        return { environment: await record(trx, written.env), revision: toRevisionRecord(written.revision, ["latest"]) };
      });
    },

    delete(key) {
      return inTransaction(db, async (trx) => {
        const env = await requireEnvironment(ctx, trx, key, { lock: true });
        if (Number(env.deletion_protected) === 1) throw storeErrors.deletionProtected(key);
        // Children first: correct even where foreign-key enforcement is off.
        await trx.deleteFrom("revision_tags").where("environment_id", "=", env.id).execute();
        await trx.deleteFrom("environment_tags").where("environment_id", "=", env.id).execute();
        await trx.deleteFrom("revisions").where("environment_id", "=", env.id).execute();
        await trx.deleteFrom("environments").where("id", "=", env.id).execute();
      });
    },

    updateSettings(key, settings) {
      return inTransaction(db, async (trx) => {
        const env = await requireEnvironment(ctx, trx, key);
        if (settings.deletionProtected === undefined) return record(trx, env);
        const flag = settings.deletionProtected ? 1 : 0;
        await trx.updateTable("environments").set({ deletion_protected: flag }).where("id", "=", env.id).execute();
        return record(trx, { ...env, deletion_protected: flag });
      });
    },

    clone(input) {
      return inTransaction(db, async (trx) => {
        const { source, dest } = input;
        if (source.org !== dest.org) throw storeErrors.crossOrgClone(source, dest);
        if (input.preserveRevisionTags && !input.preserveHistory) throw storeErrors.revisionTagsNeedHistory();
        const from = await requireEnvironment(ctx, trx, source, { lock: true });
        if ((await findEnvironment(trx, dest)) !== undefined) throw storeErrors.environmentExists(dest);
        const now = ctx.now();
        const env: EnvironmentRow = {
          id: randomUUID(),
          org: dest.org,
          project: dest.project,
          name: dest.name,
          latest_revision: input.preserveHistory ? from.latest_revision : 1,
          created_at: now,
          created_by: input.author,
          updated_at: now,
          updated_by: input.author,
          deletion_protected: 0,
        };
        await insertEnvironment(trx, dest, env);
        const newId = sql<string>`cast(${env.id} as text)`;
        const replaced = (number: number, definition: string): string => {
          if (input.definitions === undefined) return definition;
          const next = input.definitions.get(number);
          // The caller prepared the copies before this transaction; a revision written since is not among them.
          if (next === undefined) throw storeErrors.sourceChangedDuringClone(source);
          return next;
        };
        if (input.preserveHistory && input.definitions !== undefined) {
          const rows = await trx.selectFrom("revisions").selectAll().where("environment_id", "=", from.id).orderBy("number").execute();
          for (const row of rows) {
            const definition = replaced(row.number, row.definition);
            await trx.insertInto("revisions").values({ ...row, environment_id: env.id, definition, etag: etagOf(definition) }).execute();
          }
        } else if (input.preserveHistory) {
          await trx
            .insertInto("revisions")
            .columns(["environment_id", "number", "definition", "author", "created_at", "etag", "retracted", "retraction_reason", "retracted_by", "retracted_at", "replacement_revision"])
            .expression(
              trx
                .selectFrom("revisions")
                .select([newId.as("environment_id"), "number", "definition", "author", "created_at", "etag", "retracted", "retraction_reason", "retracted_by", "retracted_at", "replacement_revision"])
                .where("environment_id", "=", from.id),
            )
            .execute();
        } else {
          // The latest revision is never retracted (retracting it writes a new one), so it is what is served.
          const latest = await trx
            .selectFrom("revisions")
            .select("definition")
            .where("environment_id", "=", from.id)
            .where("number", "=", from.latest_revision)
            .executeTakeFirstOrThrow();
          const definition = replaced(from.latest_revision, latest.definition);
          await trx.insertInto("revisions").values(firstRevision(env.id, definition, input.author, now)).execute();
        }
        const stamp = { created_at: sql<number>`cast(${now} as bigint)`, editor: sql<string>`cast(${input.author} as text)` };
        if (input.preserveRevisionTags) {
          await trx
            .insertInto("revision_tags")
            .columns(["environment_id", "name", "revision", "created_at", "updated_at", "editor"])
            .expression(
              trx
                .selectFrom("revision_tags")
                .select([newId.as("environment_id"), "name", "revision", stamp.created_at.as("created_at"), stamp.created_at.as("updated_at"), stamp.editor.as("editor")])
                .where("environment_id", "=", from.id),
            )
            .execute();
        }
        if (input.preserveEnvironmentTags) {
          await trx
            .insertInto("environment_tags")
            .columns(["environment_id", "name", "value", "created_at", "updated_at", "editor"])
            .expression(
              trx
                .selectFrom("environment_tags")
                .select([newId.as("environment_id"), "name", "value", stamp.created_at.as("created_at"), stamp.created_at.as("updated_at"), stamp.editor.as("editor")])
                .where("environment_id", "=", from.id),
            )
            .execute();
        }
        noteRevision(env.latest_revision);
        return record(trx, env);
      });
    },

    ...createRevisionMethods(ctx),
    ...createRevisionTagMethods(ctx),
    ...createEnvironmentTagMethods(ctx),
  };
}

function findEnvironment(db: Kysely<Database>, key: EnvironmentKey): Promise<{ id: string } | undefined> {
  return db
    .selectFrom("environments")
    .select("id")
    .where("org", "=", key.org)
    .where("project", "=", key.project)
    .where("name", "=", key.name)
    .executeTakeFirst();
}

/** Inserts the row; a lost race for the name becomes AlreadyExists. */
async function insertEnvironment(trx: Kysely<Database>, key: EnvironmentKey, env: EnvironmentRow): Promise<void> {
  try {
    await trx.insertInto("environments").values(env).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw storeErrors.environmentExists(key);
    throw err;
  }
}

function firstRevision(environmentId: string, definition: string, author: string, now: number): RevisionRow {
  return {
    environment_id: environmentId,
    number: 1,
    definition,
    author,
    created_at: now,
    etag: etagOf(definition),
    retracted: 0,
    retraction_reason: "",
    retracted_by: "",
    retracted_at: null,
    replacement_revision: null,
  };
}

