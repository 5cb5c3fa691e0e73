/**
 * Glob matching for trust policies: `*` matches any run of characters (`/` and `:` included, as
 * GitHub's `repo:acme/app:ref:refs/heads/*` needs), `?` exactly one; everything else literally.
 * Anchored at both ends.
 */
export function globMatches(pattern: string, value: string): boolean {
  let source = "^";
  for (const ch of pattern) {
    if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else source += ch.replace(/[.+^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(`${source}$`, "u").test(value);
}
