/** Bounds that keep evaluation of hostile definitions finite; each one exceeded is a diagnostic. */
export interface Limits {
  /** Maximum definition size in UTF-8 bytes. Default 4 MiB. */
  readonly maxDocumentBytes: number;
  /** Maximum YAML nesting depth. Default 200. */
  readonly maxDepth: number;
  /** Maximum depth of nested imports. Default 32. */
  readonly maxImportDepth: number;
  /** Maximum number of distinct environments loaded by one evaluation. Default 256. */
  readonly maxImports: number;
  /** Maximum number of values produced by one evaluation. Default 2,000,000. */
  readonly maxValues: number;
  /** Maximum length of one produced string, in UTF-16 units. Default 16 Mi. */
  readonly maxStringLength: number;
  /** Maximum depth of nested reference/interpolation resolution. Default 500. */
  readonly maxInterpolationDepth: number;
  /** Maximum wall time of one evaluation in milliseconds, provider calls included. Default 30,000. */
  readonly maxEvaluationMs: number;
}

/** The default bounds. */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxDocumentBytes: 4 * 1024 * 1024,
  maxDepth: 200,
  maxImportDepth: 32,
  maxImports: 256,
  maxValues: 2_000_000,
  maxStringLength: 16 * 1024 * 1024,
  maxInterpolationDepth: 500,
  maxEvaluationMs: 30_000,
});

/** Fills in the defaults for any limit not given. */
export function resolveLimits(partial?: Partial<Limits>): Limits {
  return { ...DEFAULT_LIMITS, ...(partial ?? {}) };
}
