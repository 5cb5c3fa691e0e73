/**
 * Queries written with kysely's builder, built and compiled once per dialect and shape; a call only
 * binds its values. For the per-call read and write paths: there, building and compiling a query
 * costs more CPU than SQLite takes to run it.
 *
 * `build` receives placeholders in place of the call's values — one per scalar, an array of
 * placeholders (one per element) for an array — and must route every per-call value through them.
 * A value written into the query directly (a literal, `sql.lit`) is compiled in once and kept.
 * `undefined` stays undefined (a filter left out), so the shape of a query is which values are
 * undefined and how long each array is; each shape is compiled the first time it is seen.
 *
 * Compiled SQL is kept per dialect adapter (the same for a database and its transactions). A handle
 * with plugins gets the query built and compiled per call, as before: plugins see every query.
 */
import type { Compilable, CompiledQuery, DialectAdapter, Kysely, QueryResult, RawBuilder } from "kysely";

/** A per-call value: a scalar, or an array of scalars (e.g. the list of an `in`). */
export type TemplateValue = string | number | bigint | null | undefined | readonly (string | number | bigint | null | undefined)[];

export type TemplateArgs = Readonly<Record<string, TemplateValue>>;

/** The placeholders `build` receives, typed as the values they stand for. */
export type Placeholders<A extends TemplateArgs> = A;

export interface QueryTemplate<DB, A extends TemplateArgs, R> {
  /** Runs the query with `args` on `db` (a database or a transaction). */
  execute(db: Kysely<DB>, args: A): Promise<QueryResult<R>>;
  /** The compiled query for `args` on `db`'s dialect (what `execute` runs). */
  compile(db: Kysely<DB>, args: A): CompiledQuery<R>;
}

type Built<R> = Compilable<R> | RawBuilder<R>;

/** Where a compiled parameter comes from: a value of the call, or a constant of the query. */
type Slot = { readonly key: string; readonly index: number } | { readonly constant: unknown };

interface Compiled<R> {
  readonly query: CompiledQuery<R>;
  readonly slots: readonly Slot[];
}

/** More shapes than this for one query and adapter empties its cache (a bound, not an expected case). */
const MAX_SHAPES = 256;

/** A stand-in for one value of the call while the query is built; kysely binds it as a parameter. */
class Placeholder {
  constructor(
    readonly key: string,
    readonly index: number,
  ) {}
}

export function createQueryTemplate<DB, A extends TemplateArgs, R>(build: (db: Kysely<DB>, p: Placeholders<A>) => Built<R>): QueryTemplate<DB, A, R> {
  const byAdapter = new WeakMap<DialectAdapter, Map<string, Compiled<R>>>();

  function compiledFor(db: Kysely<DB>, args: A): Compiled<R> {
    const adapter = db.getExecutor().adapter;
    let shapes = byAdapter.get(adapter);
    if (shapes === undefined) {
      shapes = new Map();
      byAdapter.set(adapter, shapes);
    }
    const shape = shapeOf(args);
    let compiled = shapes.get(shape);
    if (compiled === undefined) {
      const query = compileBuilt(build(db, placeholdersFor(args)), db);
      const slots = query.parameters.map((value): Slot => (value instanceof Placeholder ? { key: value.key, index: value.index } : { constant: value }));
      compiled = { query, slots };
      if (shapes.size >= MAX_SHAPES) shapes.clear();
      shapes.set(shape, compiled);
    }
    return compiled;
  }

  function compile(db: Kysely<DB>, args: A): CompiledQuery<R> {
    const { query, slots } = compiledFor(db, args);
    const parameters = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as Slot;
      if ("constant" in slot) parameters[i] = slot.constant;
      else {
        const value = args[slot.key];
        parameters[i] = slot.index < 0 ? value : (value as readonly unknown[])[slot.index];
      }
    }
    // The plan's node and id are shared by every call: nothing reads them without plugins.
    return { query: query.query, queryId: query.queryId, sql: query.sql, parameters };
  }

  return {
    compile,
    execute(db, args) {
      if (db.getExecutor().plugins.length > 0) {
        const built = build(db, args);
        return isRawBuilder(built) ? built.execute(db) : db.executeQuery(built);
      }
      return db.executeQuery(compile(db, args));
    },
  };
}

/** The first row, or the error `orThrow` makes when there is none (kysely's executeTakeFirstOrThrow). */
export function firstRow<R>(result: QueryResult<R>, orThrow: () => Error): R {
  const row = result.rows[0];
  if (row === undefined) throw orThrow();
  return row;
}

/** Which values are undefined and the arrays' lengths and undefined elements: what changes the SQL. */
function shapeOf(args: TemplateArgs): string {
  let shape = "";
  for (const key in args) {
    const value = args[key];
    if (value === undefined) shape += `${key}?;`;
    else if (Array.isArray(value)) {
      shape += `${key}[`;
      for (const element of value as readonly unknown[]) shape += element === undefined ? "?" : ".";
      shape += "];";
    }
  }
  return shape;
}

function placeholdersFor<A extends TemplateArgs>(args: A): A {
  const out: Record<string, unknown> = {};
  for (const key in args) {
    const value = args[key];
    if (value === undefined) out[key] = undefined;
    else if (Array.isArray(value)) out[key] = (value as readonly unknown[]).map((element, index) => (element === undefined ? undefined : new Placeholder(key, index)));
    else out[key] = new Placeholder(key, -1);
  }
  return out as A;
}

function isRawBuilder<R>(built: Built<R>): built is RawBuilder<R> {
  return (built as Partial<RawBuilder<R>>).isRawBuilder === true;
}

function compileBuilt<DB, R>(built: Built<R>, db: Kysely<DB>): CompiledQuery<R> {
  return isRawBuilder(built) ? built.compile(db) : built.compile();
}
