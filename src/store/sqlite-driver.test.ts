import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createSqliteDialect } from "./sqlite-driver.js";

interface Tables {
  items: { id: number; name: string };
}

let dir: string;
let path: string;
const opened: { destroy(): Promise<void> }[] = [];

function open(options: { memory?: boolean; busyTimeoutMs?: number } = {}): Kysely<Tables> {
  const db = new Kysely<Tables>({
    dialect: createSqliteDialect({
      ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
      open: () => {
        if (options.memory === true) return { writer: new SqliteDatabase(":memory:") };
        const writer = new SqliteDatabase(path);
        writer.pragma("journal_mode = WAL");
        writer.pragma("busy_timeout = 0");
        const reader = new SqliteDatabase(path);
        reader.pragma("query_only = ON");
        return { writer, reader };
      },
    }),
  });
  opened.push(db);
  return db;
}

async function createTable(db: Kysely<Tables>): Promise<void> {
  await db.schema.createTable("items").addColumn("id", "integer", (c) => c.primaryKey()).addColumn("name", "text", (c) => c.notNull()).execute();
}

const names = async (db: Kysely<Tables>): Promise<string[]> => (await db.selectFrom("items").select("name").orderBy("id").execute()).map((r) => r.name);

/** A promise and the function that settles it: a step the test releases when it chooses. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "openesc-sqlite-driver-"));
  path = join(dir, "store.db");
});

afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe("createSqliteDialect() on a file", () => {
  test("a read outside a transaction neither waits for an open transaction nor sees its writes", async () => {
    const db = open();
    await createTable(db);
    await db.insertInto("items").values({ id: 1, name: "committed" }).execute();
    const inside = gate();
    const finish = gate();
    const tx = db.transaction().execute(async (trx) => {
      await trx.insertInto("items").values({ id: 2, name: "pending" }).execute();
      inside.open();
      await finish.wait; // the transaction stays open across this await
    });
    await inside.wait;
    // kysely's single-connection driver would wait here for the transaction, which waits for the test.
    expect(await names(db)).toEqual(["committed"]);
    finish.open();
    await tx;
    expect(await names(db)).toEqual(["committed", "pending"]);
  });

  test("writes outside a transaction take their turn after the open transaction, and both commit", async () => {
    const db = open();
    await createTable(db);
    const inside = gate();
    const finish = gate();
    const order: string[] = [];
    const tx = db.transaction().execute(async (trx) => {
      await trx.insertInto("items").values({ id: 1, name: "in transaction" }).execute();
      inside.open();
      await finish.wait;
      order.push("transaction commits");
    });
    await inside.wait;
    const write = db
      .insertInto("items")
      .values({ id: 2, name: "outside" })
      .execute()
      .then(() => order.push("write outside done"));
    finish.open();
    await Promise.all([tx, write]);
    expect(order).toEqual(["transaction commits", "write outside done"]);
    expect(await names(db)).toEqual(["in transaction", "outside"]);
  });

  test("a transaction waits for another process's write lock without blocking the event loop", async () => {
    const db = open();
    await createTable(db);
    const other = new SqliteDatabase(path);
    other.exec("begin immediate");
    other.prepare("insert into items (id, name) values (1, 'other process')").run();
    const tx = db.transaction().execute(async (trx) => {
      await trx.insertInto("items").values({ id: 2, name: "ours" }).execute();
    });
    // SQLite's busy handler would sleep on the thread: this read and the release below could not run
    // until it gave up with SQLITE_BUSY.
    expect(await names(db)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    other.exec("commit");
    other.close();
    await tx;
    expect(await names(db)).toEqual(["other process", "ours"]);
  });

  test("gives up with SQLITE_BUSY when the other process keeps the lock past the busy timeout", async () => {
    const db = open({ busyTimeoutMs: 50 });
    await createTable(db);
    const other = new SqliteDatabase(path);
    other.exec("begin immediate");
    try {
      await expect(db.insertInto("items").values({ id: 1, name: "x" }).execute()).rejects.toMatchObject({ code: "SQLITE_BUSY" });
      await expect(db.transaction().execute(async () => "never")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    } finally {
      other.exec("rollback");
      other.close();
    }
    // The writer's turn was handed back: the next write goes through.
    await db.insertInto("items").values({ id: 1, name: "after" }).execute();
    expect(await names(db)).toEqual(["after"]);
  });

  test("a failed transaction rolls back and frees the writer for the next one", async () => {
    const db = open();
    await createTable(db);
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("items").values({ id: 1, name: "rolled back" }).execute();
        await trx.insertInto("items").values({ id: 1, name: "duplicate key" }).execute();
      }),
    ).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT_PRIMARYKEY" });
    await db.transaction().execute((trx) => trx.insertInto("items").values({ id: 1, name: "kept" }).execute());
    expect(await names(db)).toEqual(["kept"]);
  });

  test("statements that write run on the writer even when they return rows", async () => {
    const db = open();
    await createTable(db);
    const inserted = await db.insertInto("items").values({ id: 7, name: "returned" }).returning(["id", "name"]).execute();
    expect(inserted).toEqual([{ id: 7, name: "returned" }]);
    const raw = await sql<{ n: number }>`select count(*) as n from items`.execute(db);
    expect(raw.rows).toEqual([{ n: 1 }]);
  });

  test("a statement that wrote nothing the first time still runs on the writer when it does write", async () => {
    const db = open();
    await createTable(db);
    const drop = () => sql.raw("drop trigger if exists items_guard").execute(db);
    await drop(); // no such trigger yet: SQLite calls this statement read-only
    await sql.raw("create trigger items_guard before insert on items begin select raise(abort, 'guarded'); end").execute(db);
    await expect(db.insertInto("items").values({ id: 1, name: "x" }).execute()).rejects.toThrow("guarded");
    await drop();
    await db.insertInto("items").values({ id: 1, name: "unguarded" }).execute();
    expect(await names(db)).toEqual(["unguarded"]);
  });
});

describe("createSqliteDialect() in memory", () => {
  test("one connection: a read waits for the open transaction instead of reading inside it", async () => {
    const db = open({ memory: true });
    await createTable(db);
    const inside = gate();
    const finish = gate();
    const tx = db.transaction().execute(async (trx) => {
      await trx.insertInto("items").values({ id: 1, name: "pending" }).execute();
      inside.open();
      await finish.wait;
      throw new Error("roll back");
    });
    await inside.wait;
    const read = names(db);
    finish.open();
    await expect(tx).rejects.toThrow("roll back");
    expect(await read).toEqual([]);
  });
});
