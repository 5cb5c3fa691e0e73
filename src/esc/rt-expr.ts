import type { Expr } from "./expr.js";
import type { Def, EvalValue } from "./value.js";
import { exprChildPath } from "./syntax.js";

/**
 * An expression being evaluated in one environment: memoised state, the inherited (imported) value at its position,
 * and its declared children. @private
 */
export interface RtExpr {
  readonly expr: Expr;
  /** The enclosing object or array literal (none at the top level and for builtin arguments, whose paths restart). */
  readonly parent: RtExpr | undefined;
  /** This expression's key or index in its parent; at the top level the raw key, for a builtin argument "". */
  readonly seg: string | number;
  /** The imported value at the same position, if any (§8). */
  readonly base?: EvalValue;
  state: 0 | 1 | 2;
  value?: EvalValue;
  /** Object literal members (first definition of each key). */
  readonly props?: Map<string, RtExpr>;
  /** Array literal elements. */
  readonly items?: RtExpr[];
  /** Builtin argument (paths restart here, §6.5). */
  readonly arg?: RtExpr;
}

/** Builds an {@link RtExpr} with all fields present (one hidden class). */
export function rtExpr(expr: Expr, parent: RtExpr | undefined, seg: string | number, base: EvalValue | undefined,
  props: Map<string, RtExpr> | undefined, items: RtExpr[] | undefined, arg: RtExpr | undefined): RtExpr {
  return { expr, parent, seg, base, state: 0, value: undefined, props, items, arg };
}

/** The expression path used in cycle messages (§1.5, §6.5): first segment raw, empty keys add nothing. */
export function pathOf(rt: RtExpr): string {
  if (!rt.parent) return String(rt.seg);
  const parent = pathOf(rt.parent);
  return typeof rt.seg === "number" ? `${parent}[${rt.seg}]` : exprChildPath(parent, rt.seg);
}

/** The trace definition of an expression: its node's range and document path. */
export function defOf(rt: RtExpr): Def {
  return rt.expr.node; // a syntax node carries exactly a range and a path
}
