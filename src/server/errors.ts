import { Code, ConnectError } from "@connectrpc/connect";
import { DefinitionRewriteError, KeyProviderError, SecretDecryptionError } from "../crypto/index.js";
import { FieldViolationSchema } from "../gen/openesc/v1/diagnostic_pb.js";
import { databaseFailure } from "../store/database-errors.js";

/**
 * The one function that turns any failure into a ConnectError for the wire. Known failures
 * (ConnectErrors) pass through; anything else becomes `Internal` carrying only the request id,
 * because a raw error message may contain a secret. The caller logs the original as `cause`.
 */
export function toConnectError(reason: unknown, requestId: string): ConnectError {
  if (reason instanceof ConnectError) {
    return reason;
  }
  // The crypto module's messages are written to be shown: no key material, no plaintext.
  if (reason instanceof SecretDecryptionError || reason instanceof DefinitionRewriteError) {
    return new ConnectError(reason.message, Code.FailedPrecondition, undefined, undefined, reason);
  }
  if (reason instanceof KeyProviderError) {
    return new ConnectError(reason.message, Code.Unavailable, undefined, undefined, reason);
  }
  // The database down, restarting, read-only or full: a clean code the client can act on.
  const database = databaseFailure(reason);
  if (database !== undefined) return database;
  if (reason instanceof Error && reason.name === "AbortError") {
    return new ConnectError("the request was cancelled", Code.Canceled);
  }
  return new ConnectError(`internal error (request id ${requestId})`, Code.Internal, undefined, undefined, reason);
}

/** InvalidArgument naming the request field, with a FieldViolation detail for clients. */
export function invalidField(field: string, description: string): ConnectError {
  return new ConnectError(`${field}: ${description}`, Code.InvalidArgument, undefined, [
    { desc: FieldViolationSchema, value: { field, description } },
  ]);
}
