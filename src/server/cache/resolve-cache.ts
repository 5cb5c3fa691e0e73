/**
 * A cache of ResolveEnvironment answers — their encoded bytes — so that resolving an unchanged
 * environment costs one query instead of reading, evaluating, converting and encoding it again.
 * Correct on any number of replicas without invalidation messages:
 *
 * - An entry records the revision the root version read and the revision every import (transitively)
 *   read: revisions are immutable, so equal pins mean equal content.
 * - Every hit first pins the root and all those imports again in ONE query (`pinRevisions`): any
 *   write anywhere — a new revision, a moved tag, a retraction, a deleted and re-created environment —
 *   changes a pin, and the caller gets a fresh evaluation on that very request, on every replica.
 *   With the change feed's `environments` topic (bumped by the database with every such write, and
 *   checked at the start of every request), an entry checked since the last write needs no query.
 * - Every hit checks again that the caller may `open` each import (the root's permission is the
 *   pipeline's). Anything short of that falls back to the full path, which says exactly why.
 * - The key holds everything else the answer depends on: the root as requested and the caller's
 *   execution context. Answers that asked for a provider (dynamic credentials) are never stored.
 * - Entries hold decrypted secrets, so they are sealed in memory (memory-seal.ts).
 */
import type { ChangeTopic, EnvironmentKey, RevisionPin, RevisionRef } from "../../store/index.js";
import type { LoadedRevision } from "../environment-loader.js";
import type { PinnedImport } from "../open-evaluation.js";
import { createMemorySealer, type Sealed } from "./memory-seal.js";

/** One ResolveEnvironment request as the cache tells them apart. */
export interface ResolveRequest {
  readonly key: EnvironmentKey;
  readonly version: string;
  /** The caller's execution context (esc-language.md §15): part of what the answer depends on. */
  readonly context: unknown;
}

/** What a fresh resolve read, and its encoded answer. */
export interface ResolvedAnswer {
  readonly root: LoadedRevision;
  readonly imports: readonly PinnedImport[];
  readonly bytes: Uint8Array;
}

/** A cached answer still valid for this caller. */
export interface CachedAnswer {
  readonly revision: number;
  readonly bytes: Uint8Array;
}

export interface ResolveCache {
  /**
   * The stored answer when the root and every import still pin the same revisions and `mayOpen`
   * allows each import; undefined otherwise (then resolve afresh and `put`).
   */
  get(request: ResolveRequest, mayOpen: (key: EnvironmentKey) => Promise<boolean>): Promise<CachedAnswer | undefined>;
  /** Where the writes reported so far stand: take it before reading what `put` will store. */
  mark(): number;
  /** Stores an answer read after `mark` was taken. */
  put(request: ResolveRequest, answer: ResolvedAnswer, mark: number): void;
}

export interface ResolveCacheOptions {
  /** The store's pinRevisions (the one query of a hit). */
  readonly pinRevisions: (org: string, refs: readonly RevisionRef[]) => Promise<(RevisionPin | undefined)[]>;
  /** Entries kept, least recently used dropped first. Default 1000. */
  readonly maxEntries?: number;
  /** Bytes of answers kept, at most. Default 64 MiB. */
  readonly maxBytes?: number;
  /**
   * The change feed, synced at the start of every request (the authenticator does): told of every
   * committed write to environments, revisions and tags, by any replica. Without it every hit queries.
   */
  readonly changes?: { subscribe(topic: ChangeTopic, listener: () => void): unknown };
}

interface Entry extends Sealed {
  readonly root: LoadedRevision;
  readonly imports: readonly PinnedImport[];
  /** The write generation its pins were last found current in (or read in). */
  checked: number;
}

export function createResolveCache(options: ResolveCacheOptions): ResolveCache {
  const maxEntries = options.maxEntries ?? 1000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const sealer = createMemorySealer();
  const entries = new Map<string, Entry>();
  let bytes = 0;
  // Moves with every write the feed reports; -1 disables the shortcut when there is no feed.
  let generation = options.changes === undefined ? -1 : 0;
  options.changes?.subscribe("environments", () => void generation++);

  const drop = (id: string): void => {
    const entry = entries.get(id);
    if (entry === undefined) return;
    entries.delete(id);
    bytes -= entry.sealed.byteLength;
  };

  async function stillValid(request: ResolveRequest, entry: Entry, mayOpen: (key: EnvironmentKey) => Promise<boolean>): Promise<boolean> {
    const { org, project, name } = request.key;
    const at = generation;
    if (at >= 0 && entry.checked === at) return (await Promise.all(entry.imports.map((i) => mayOpen({ org, project: i.ref.project, name: i.ref.name })))).every(Boolean);
    const refs: RevisionRef[] = [{ project, name, version: request.version }, ...entry.imports.map((i) => i.ref)];
    const [pins, allowed] = await Promise.all([
      options.pinRevisions(org, refs),
      Promise.all(entry.imports.map((i) => mayOpen({ org, project: i.ref.project, name: i.ref.name }))),
    ]);
    if (!allowed.every(Boolean)) return false;
    const expected = [entry.root, ...entry.imports.map((i) => i.pin)];
    const current = pins.every((pin, i) => pin !== undefined && !pin.retracted && pin.environmentId === expected[i]?.environmentId && pin.revision === expected[i]?.revision);
    // The generation read before the query: a write reported since then makes the next hit query again.
    if (current) entry.checked = at;
    return current;
  }

  return {
    async get(request, mayOpen) {
      const id = idOf(request);
      const entry = entries.get(id);
      if (entry === undefined) return undefined;
      if (!(await stillValid(request, entry, mayOpen))) {
        if (entries.get(id) === entry) drop(id);
        return undefined;
      }
      entries.delete(id); // most recently used goes last
      entries.set(id, entry);
      return { revision: entry.root.revision, bytes: sealer.open(entry) };
    },

    mark: () => generation,

    put(request, answer, mark) {
      const id = idOf(request);
      // Read after `mark`: current at least as of the writes reported by then (a later one moves the generation).
      const checked = mark;
      drop(id);
      if (answer.bytes.byteLength > maxBytes) return;
      const entry: Entry = { root: answer.root, imports: answer.imports, checked, ...sealer.seal(answer.bytes) };
      while (entries.size > 0 && (entries.size >= maxEntries || bytes + entry.sealed.byteLength > maxBytes)) drop(entries.keys().next().value as string);
      entries.set(id, entry);
      bytes += entry.sealed.byteLength;
    },
  };
}

function idOf(request: ResolveRequest): string {
  const { org, project, name } = request.key;
  return JSON.stringify([org, project, name, request.version, request.context]);
}
