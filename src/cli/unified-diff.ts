/** One line of an edit script: kept (" "), removed ("-") or added ("+"). */
interface Edit {
  readonly op: " " | "-" | "+";
  readonly line: string;
}

/** Above this many LCS cells the middle is shown as removed then added instead of aligned. */
const MAX_LCS_CELLS = 16_000_000;

/**
 * A unified diff (`diff -u` format, `context` lines around each change) of two texts, with
 * `--- fromName` / `+++ toName` headers; "" when the texts have the same lines. Lines are aligned by a
 * longest common subsequence after trimming the common prefix and suffix.
 */
export function unifiedDiff(from: string, to: string, fromName: string, toName: string, context = 3): string {
  if (from === to) return "";
  const a = splitLines(from);
  const b = splitLines(to);
  const edits = editScript(a, b);
  const hunks = groupHunks(edits, context);
  // texts that differ only in a final newline have no changed line
  if (hunks.length === 0) return "";
  let out = `--- ${fromName}\n+++ ${toName}\n`;
  for (const h of hunks) {
    out += `@@ -${range(h.aStart, h.aCount)} +${range(h.bStart, h.bCount)} @@\n`;
    for (const e of h.edits) out += `${e.op}${e.line}\n`;
  }
  return out;
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function editScript(a: readonly string[], b: readonly string[]): Edit[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  const keep = (lines: readonly string[]): Edit[] => lines.map((line) => ({ op: " ", line }));
  return [...keep(a.slice(0, pre)), ...lcsEdits(midA, midB), ...keep(a.slice(a.length - suf))];
}

function lcsEdits(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_LCS_CELLS) {
    return [...a.map((line): Edit => ({ op: "-", line })), ...b.map((line): Edit => ({ op: "+", line }))];
  }
  // lengths[i][j] = LCS of a[i..] and b[j..], flattened.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] =
        a[i] === b[j] ? (lengths[(i + 1) * (m + 1) + j + 1] as number) + 1 : Math.max(lengths[(i + 1) * (m + 1) + j] as number, lengths[i * (m + 1) + j + 1] as number);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      edits.push({ op: " ", line: a[i++] as string });
      j++;
    } else if ((lengths[(i + 1) * (m + 1) + j] as number) >= (lengths[i * (m + 1) + j + 1] as number)) {
      edits.push({ op: "-", line: a[i++] as string });
    } else {
      edits.push({ op: "+", line: b[j++] as string });
    }
  }
  while (i < n) edits.push({ op: "-", line: a[i++] as string });
  while (j < m) edits.push({ op: "+", line: b[j++] as string });
  return edits;
}

interface Hunk {
  aStart: number;
  aCount: number;
  bStart: number;
  bCount: number;
  edits: Edit[];
}

function groupHunks(edits: readonly Edit[], context: number): Hunk[] {
  const changed = edits.map((e, i) => (e.op === " " ? -1 : i)).filter((i) => i >= 0);
  const hunks: Hunk[] = [];
  let k = 0;
  while (k < changed.length) {
    const first = changed[k] as number;
    let last = first;
    while (k + 1 < changed.length && (changed[k + 1] as number) - last <= 2 * context) last = changed[++k] as number;
    k++;
    const start = Math.max(0, first - context);
    const end = Math.min(edits.length, last + context + 1);
    // line numbers (1-based) of the hunk's first line in each text
    let aLine = 1;
    let bLine = 1;
    for (let i = 0; i < start; i++) {
      if (edits[i]?.op !== "+") aLine++;
      if (edits[i]?.op !== "-") bLine++;
    }
    const slice = edits.slice(start, end);
    const aCount = slice.filter((e) => e.op !== "+").length;
    const bCount = slice.filter((e) => e.op !== "-").length;
    hunks.push({ aStart: aCount === 0 ? aLine - 1 : aLine, aCount, bStart: bCount === 0 ? bLine - 1 : bLine, bCount, edits: slice });
  }
  return hunks;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}
