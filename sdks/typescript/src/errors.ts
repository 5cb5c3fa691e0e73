import { Code, ConnectError } from "@connectrpc/connect";
import { DiagnosticsSchema, FieldViolationSchema, type Diagnostic, type FieldViolation } from "./gen/openesc/v1/diagnostic_pb.js";

/**
 * Every failure of an SDK call: a ConnectError (so `instanceof ConnectError`, `code` and `details`
 * keep working) of one of the subclasses below, chosen by its code. The original error is `cause`.
 */
export class OpenEscError extends ConnectError {
  // ConnectError's own instanceof is structural (any error named "ConnectError" passes), which would
  // make every ConnectError an instance of every subclass here: these classes check the prototype chain.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  constructor(message: string, code: Code = Code.Unknown, from?: ConnectError) {
    super(message, code, from?.metadata, undefined, from?.cause ?? from);
    if (from !== undefined) this.details = from.details;
  }
}

/** The environment, revision, tag, token or organization does not exist (`NOT_FOUND`). */
export class NotFoundError extends OpenEscError {}

/** The caller may not do this (`PERMISSION_DENIED`). */
export class PermissionDeniedError extends OpenEscError {}

/** No token, or one that is unknown, expired or revoked (`UNAUTHENTICATED`). */
export class UnauthenticatedError extends OpenEscError {}

/**
 * The request conflicts with the current state: it already exists (`ALREADY_EXISTS`), the base
 * revision is stale (`ABORTED`), or the state forbids it, such as a deletion-protected environment
 * (`FAILED_PRECONDITION`).
 */
export class ConflictError extends OpenEscError {}

/**
 * The input is invalid (`INVALID_ARGUMENT`), or the environment does not evaluate (any code with
 * a Diagnostics detail). `diagnostics` and `fieldViolations` come from the error details.
 */
export class InvalidError extends OpenEscError {
  /** The problems found in a definition, in document order (paths, never values). */
  readonly diagnostics: readonly Diagnostic[];
  /** The request fields that are wrong. */
  readonly fieldViolations: readonly FieldViolation[];

  constructor(message: string, code: Code = Code.InvalidArgument, from?: ConnectError) {
    super(message, code, from);
    this.diagnostics = from?.findDetails(DiagnosticsSchema).flatMap((d) => d.diagnostics) ?? [];
    this.fieldViolations = from?.findDetails(FieldViolationSchema) ?? [];
  }
}

/** The call's time-out passed (`DEADLINE_EXCEEDED`). */
export class TimeoutError extends OpenEscError {}

/** The caller's AbortSignal aborted the call (`CANCELED`). */
export class CancelledError extends OpenEscError {}

/** The server could not be reached or is overloaded (`UNAVAILABLE`, `RESOURCE_EXHAUSTED`). */
export class UnavailableError extends OpenEscError {}

/** Turns any failure of a call into the OpenEscError subclass for its code. */
export function toOpenEscError(reason: unknown): OpenEscError {
  if (reason instanceof OpenEscError) return reason;
  const e = ConnectError.from(reason);
  const message = e.rawMessage;
  if (e.findDetails(DiagnosticsSchema).length > 0) return new InvalidError(message, e.code, e);
  switch (e.code) {
    case Code.NotFound:
      return new NotFoundError(message, e.code, e);
    case Code.PermissionDenied:
      return new PermissionDeniedError(message, e.code, e);
    case Code.Unauthenticated:
      return new UnauthenticatedError(message, e.code, e);
    case Code.AlreadyExists:
    case Code.Aborted:
    case Code.FailedPrecondition:
      return new ConflictError(message, e.code, e);
    case Code.InvalidArgument:
    case Code.OutOfRange:
      return new InvalidError(message, e.code, e);
    case Code.DeadlineExceeded:
      return new TimeoutError(message, e.code, e);
    case Code.Canceled:
      return new CancelledError(message, e.code, e);
    case Code.Unavailable:
    case Code.ResourceExhausted:
      return new UnavailableError(message, e.code, e);
    default:
      return new OpenEscError(message, e.code, e);
  }
}
