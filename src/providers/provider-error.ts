/**
 * A provider's failure as the user sees it on the `fn::open` node: the provider's name, what it was
 * doing, and the upstream service's error code and message. Never a credential or an input value.
 */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
  /** The upstream code (`AccessDenied`, `http 403`, `ECONNREFUSED`) or `invalid_argument` / `deadline_exceeded`. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** A mistake in the inputs that the schema cannot express (bounds of a duration, one-of choices). */
export function invalidInput(message: string): ProviderError {
  return new ProviderError("invalid_argument", message);
}

/**
 * Describes an error from an AWS SDK client: the service's error code (the exception's name) and its
 * message, or a network error's code. AWS messages name resources, never secret values.
 */
export function describeAwsError(what: string, err: unknown): ProviderError {
  const e = err as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && e.name !== undefined) {
    return new ProviderError(e.name, `${what}: ${e.name}: ${firstLine(e.message ?? "")} (HTTP ${status})`);
  }
  const code = e.code ?? e.name ?? "error";
  return new ProviderError(code, `${what}: ${code}: ${firstLine(e.message ?? String(err))}`);
}

/**
 * Describes an error from node-vault: the HTTP status and Vault's first error message (Vault's
 * messages say what failed — "permission denied", "role not found" — and never echo a token).
 */
export function describeVaultError(what: string, err: unknown): ProviderError {
  const e = err as { response?: { statusCode?: number; body?: { errors?: unknown[] } }; message?: string; code?: string };
  const status = e.response?.statusCode;
  if (status !== undefined) {
    const first = e.response?.body?.errors?.find((x): x is string => typeof x === "string");
    return new ProviderError(`http ${status}`, `${what}: ${first === undefined ? `HTTP ${status}` : `${firstLine(first)} (HTTP ${status})`}`);
  }
  const code = e.code ?? "error";
  return new ProviderError(code, `${what}: ${code}: ${firstLine(e.message ?? String(err))}`);
}

// Go's multierror ("1 error occurred:\n\t* permission denied") is reduced to its items.
function firstLine(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const items = /^\d+ errors? occurred:$/.test(lines[0] ?? "") ? lines.slice(1).map((l) => l.replace(/^\* /, "")) : lines.slice(0, 1);
  const line = items.join("; ");
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
