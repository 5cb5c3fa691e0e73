/** Levenshtein edit distance between two strings (per UTF-16 unit; keys are almost always ASCII). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/** Folds a key for spelling comparisons: lower-case, `_` removed (§2, §6.3). */
export function fold(s: string): string {
  return s.toLowerCase().replace(/_/g, "");
}

/** Byte-order comparison of strings (UTF-8 order, which equals code point order). */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Sorts keys in byte order. */
export function sortKeys(keys: Iterable<string>): string[] {
  const out = [...keys];
  // UTF-16 order equals code point (= UTF-8 byte) order unless surrogates are involved.
  for (const k of out) {
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) return out.sort(compareBytes);
    }
  }
  return out.sort();
}

/**
 * "Did you mean" (§6.3): the candidate whose folded form is nearest to the folded key, when its distance is
 * below floor((len+1)/2); ties go to the first candidate in byte order.
 */
export function didYouMean(key: string, candidates: Iterable<string>): string | undefined {
  const fk = fold(key);
  const limit = Math.floor((new TextEncoder().encode(fk).length + 1) / 2);
  let best: string | undefined;
  let bestDist = limit;
  for (const c of sortKeys(candidates)) {
    const d = levenshtein(fk, fold(c));
    if (d < bestDist) { best = c; bestDist = d; }
  }
  return best;
}
