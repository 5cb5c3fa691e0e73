import { ownArray, ownMap, type EvalValue } from "./value.js";

/** Marks a value and every node under it secret. */
export function markAllSecret(v: EvalValue): EvalValue {
  return mark(v, () => true);
}

/**
 * Marks a provider output secret (esc-language.md §9.2 step 6): when the top is secret, descend through members that
 * are not yet secret; below a member the provider already marked secret, keep the provider's flags.
 */
export function markProviderOutput(v: EvalValue): EvalValue {
  if (!v.secret) return v;
  const arr = ownArray(v);
  const m = ownMap(v);
  if (arr) return { ...v, own: arr.map(descend) };
  if (m) return { ...v, own: new Map([...m].map(([k, p]) => [k, descend(p)])) };
  return v;
}

function descend(v: EvalValue): EvalValue {
  if (v.secret) return v;
  return markProviderOutput({ ...v, secret: true });
}

function mark(v: EvalValue, f: (x: EvalValue) => boolean): EvalValue {
  const arr = ownArray(v);
  const m = ownMap(v);
  const secret = f(v) || v.secret;
  if (arr) return { ...v, own: arr.map((e) => mark(e, f)), secret };
  if (m) return { ...v, own: new Map([...m].map(([k, p]) => [k, mark(p, f)])), secret };
  return { ...v, secret };
}
