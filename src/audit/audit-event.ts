/**
 * The audit event: what one RPC did, by whom, from where, to what, with which outcome. It carries
 * names and paths only, never a value, a definition or a request/response body.
 */

/** One provider call made while serving the RPC (no inputs, no outputs). */
export interface AuditProviderCall {
  /** e.g. `aws-login`. */
  readonly provider: string;
  /** The environment and path of the `fn::open` node, e.g. `acme/app/prod:aws.login`. */
  readonly path: string;
  readonly durationMs: number;
  /** `ok` or a short failure code. */
  readonly outcome: string;
}

/** An event as the pipeline builds it, before it has a place in a chain. */
export interface AuditEventDraft {
  /**
   * The chain the event belongs to: the organization the request names, else the caller's
   * organization, else `""` (the system chain: calls that name no organization and carry no
   * valid token).
   */
  readonly chain: string;
  /** Milliseconds since the epoch, when the event was recorded (as the call finished or its transaction committed). */
  readonly time: number;
  /** The caller's login; `""` when authentication failed. */
  readonly actor: string;
  /** The caller's identity id; `""` when authentication failed. */
  readonly actorId: string;
  /** The id of the token presented (when it was well-formed, even if refused); `""` otherwise. */
  readonly tokenId: string;
  /** The peer address, `ip:port`. */
  readonly source: string;
  readonly userAgent: string;
  /** The RPC's full name, `openesc.v1.EnvironmentService/GetEnvironment`. */
  readonly action: string;
  /** The resource the request names (`""` for parts it does not name). */
  readonly org: string;
  readonly project: string;
  readonly environment: string;
  /** The revision the call read or wrote; null when none. */
  readonly revision: number | null;
  readonly providerCalls: readonly AuditProviderCall[];
  /** `ok` or the Connect code name (`permission_denied`, `unauthenticated`, …). */
  readonly outcome: string;
  readonly requestId: string;
}

/** A stored event: the draft plus its position in the chain and the links. */
export interface AuditEventRecord extends AuditEventDraft {
  /** 1, 2, 3… per chain, without gaps. */
  readonly seq: number;
  /** The previous event's hash (GENESIS_HASH for seq 1), hex. */
  readonly prevHash: string;
  /** SHA-256(prevHash ‖ canonical JSON of the event), hex. */
  readonly hash: string;
}
