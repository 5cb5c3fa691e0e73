import { Transform, type TransformCallback } from "node:stream";

const REPLACEMENT = Buffer.from("[secret]");
/** Secrets shorter than this many bytes are not filtered (esc-language.md §18.5). */
export const MIN_SECRET_BYTES = 3;
/** A partial line longer than this is passed on early (keeping a tail that may begin a secret). */
const MAX_PENDING = 64 * 1024;

/**
 * The byte strings to filter: each line of each secret (output is filtered line by line, so a secret
 * spanning lines is matched line by line, and a line's own `\n` is never replaced), those of at least
 * 3 bytes, deduplicated, longest first.
 */
export function filterPatterns(secrets: Iterable<string>): Buffer[] {
  const texts = new Set<string>();
  for (const s of secrets) for (const line of s.split(/\r?\n/)) texts.add(line);
  return [...texts]
    .map((t) => Buffer.from(t))
    .filter((b) => b.length >= MIN_SECRET_BYTES)
    .sort((a, b) => b.length - a.length);
}

/**
 * Replaces every occurrence of a pattern in `text` by `[secret]`, scanning left to right and taking
 * the longest pattern where several start at the same byte.
 */
export function redactBytes(text: Buffer, patterns: readonly Buffer[]): Buffer {
  if (patterns.length === 0) return text;
  const parts: Buffer[] = [];
  let i = 0;
  for (;;) {
    const hit = firstMatch(text, patterns, i);
    if (hit === undefined) break;
    parts.push(text.subarray(i, hit.at), REPLACEMENT);
    i = hit.at + hit.length;
  }
  if (parts.length === 0) return text;
  parts.push(text.subarray(i));
  return Buffer.concat(parts);
}

function firstMatch(text: Buffer, patterns: readonly Buffer[], from: number): { at: number; length: number } | undefined {
  let best: { at: number; length: number } | undefined;
  for (const p of patterns) {
    const at = text.indexOf(p, from);
    if (at >= 0 && (best === undefined || at < best.at)) best = { at, length: p.length };
  }
  return best;
}

/** A line filter: feed chunks as they come, get back what may be written so far. */
export interface SecretFilter {
  /** The complete lines (each with its `\n`) of what was fed so far, filtered. */
  write(chunk: Buffer): Buffer;
  /** The rest (a last line without `\n`), filtered. */
  end(): Buffer;
}

/**
 * Filters output line by line (`esc run` without `-i`, §18.5): a secret split across chunks is still
 * replaced, because only whole lines are matched. A partial line longer than 64 KiB is passed on
 * early, keeping back any tail that might begin a secret.
 */
export function createSecretFilter(secrets: Iterable<string>): SecretFilter {
  const patterns = filterPatterns(secrets);
  const longest = patterns[0]?.length ?? 0;
  let pending: Buffer = Buffer.alloc(0);
  return {
    write(chunk) {
      if (patterns.length === 0) return chunk;
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const out: Buffer[] = [];
      let start = 0;
      for (let nl = pending.indexOf(10); nl >= 0; nl = pending.indexOf(10, start)) {
        out.push(redactBytes(pending.subarray(start, nl + 1), patterns));
        start = nl + 1;
      }
      pending = pending.subarray(start);
      if (pending.length > MAX_PENDING) {
        const cut = safeCut(pending, patterns, pending.length - (longest - 1));
        out.push(redactBytes(pending.subarray(0, cut), patterns));
        pending = pending.subarray(cut);
      }
      return out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
    },
    end() {
      const rest = redactBytes(pending, patterns);
      pending = Buffer.alloc(0);
      return rest;
    },
  };
}

// Moves a cut back to the start of any occurrence that straddles it.
function safeCut(text: Buffer, patterns: readonly Buffer[], cut: number): number {
  let i = 0;
  for (;;) {
    const hit = firstMatch(text, patterns, i);
    if (hit === undefined || hit.at >= cut) return cut;
    if (hit.at + hit.length > cut) return hit.at;
    i = hit.at + hit.length;
  }
}

/** {@link createSecretFilter} as a stream, for piping a child's output. */
export function secretFilterStream(secrets: Iterable<string>): Transform {
  const filter = createSecretFilter(secrets);
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      const out = filter.write(chunk);
      done(null, out.length > 0 ? out : undefined);
    },
    flush(done: TransformCallback) {
      const out = filter.end();
      done(null, out.length > 0 ? out : undefined);
    },
  });
}
