import { randomUUID } from "node:crypto";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate, type Duration } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { environmentVariables, files, pulumiConfig, renderJson, type Value as EscValue } from "../../esc/index.js";
import { OpenService, ResolveEnvironmentResponseSchema, type ResolveEnvironmentResponse } from "../../gen/openesc/v1/open_pb.js";
import { ValueSchema, type Value } from "../../gen/openesc/v1/value_pb.js";
import { createSessionRepository } from "../../store/index.js";
import { toDiagnostic } from "../convert/diagnostics.js";
import { protoValueToJson, valueAtPath } from "../convert/value-path.js";
import { toProtoValue } from "../convert/value.js";
import { invalidField } from "../errors.js";
import { MAX_DEFINITION_BYTES } from "../definition-check.js";
import { openAnonymousDefinition, openEnvironment, type OpenDeps, type OpenedEnvironment } from "../open-evaluation.js";
import { parsePropertyPath } from "../property-path.js";
import { callDetailsOf, principalOf } from "../rpc/call-context.js";
import type { SessionSealer } from "../session-sealer.js";
import { environmentKeyOf, validateSegment } from "../validate.js";
import type { EnvironmentKey } from "../../store/index.js";
import { createImportAccess } from "../import-access.js";
import { accessOf } from "../rpc/authorize.js";
import { permits } from "../../auth/index.js";
import type { ResolveCache } from "../cache/resolve-cache.js";
import { executionContextOf } from "../execution-context.js";
import { sendsWireBytesKey, withWireBytes } from "../transport/wire-bytes.js";

const DEFAULT_SESSION_MS = 3600_000;
const MIN_SESSION_MS = 1000;
const MAX_SESSION_MS = 24 * 3600_000;
const SESSION_ID = /^[0-9a-f-]{36}$/;

/** What the open path needs: the store, decryption and providers, and the session sealer. */
export interface OpenServiceDeps extends OpenDeps {
  readonly sealer: SessionSealer;
  /** Answers unchanged resolves from their encoded bytes (checked against the database on every use). */
  readonly resolveCache?: ResolveCache;
}

/** openesc.v1.OpenService: open (a stored session), read a session, resolve in one call. */
export function createOpenService(deps: OpenServiceDeps): ServiceImpl<typeof OpenService> {
  const sessions = createSessionRepository(deps.store.db);
  return {
    async openEnvironment(req, ctx) {
      const key = environmentKeyOf(req);
      const ttl = sessionDuration(req.duration);
      const opened = await openEnvironment(deps, key, req.version, principalOf(ctx), callDetailsOf(ctx).providerCalls, createImportAccess(accessOf(ctx), "open"));
      callDetailsOf(ctx).revision = opened.revision;
      const id = randomUUID();
      const now = new Date();
      const expiresAt = new Date(now.getTime() + ttl);
      const plaintext = toBinary(ValueSchema, opened.value === null ? create(ValueSchema) : toProtoValue(opened.value, { showSecrets: true }));
      await sessions.create({
        id,
        org: key.org,
        project: key.project,
        environment: key.name,
        revision: opened.revision,
        identityId: principalOf(ctx).identityId,
        createdAt: now,
        expiresAt,
        payload: await deps.sealer.seal(key, id, plaintext),
      });
      return { sessionId: id, expireTime: timestampFromDate(expiresAt), diagnostics: opened.warnings.map(toDiagnostic), revision: BigInt(opened.revision) };
    },
    async readOpenEnvironment(req, ctx) {
      const key = environmentKeyOf(req);
      if (!SESSION_ID.test(req.sessionId)) throw invalidField("session_id", "must be a session id returned by OpenEnvironment");
      const path = parsePropertyPath(req.path);
      const session = await sessions.find(req.sessionId);
      // A session of another environment is reported exactly like a missing one.
      // So is another identity's session: a session is one caller's evaluation.
      if (session === undefined || session.org !== key.org || session.project !== key.project || session.environment !== key.name || session.identityId !== principalOf(ctx).identityId) {
        throw new ConnectError(`session "${req.sessionId}" not found`, Code.NotFound);
      }
      if (session.expiresAt.getTime() <= Date.now()) {
        throw new ConnectError(`session "${req.sessionId}" expired at ${session.expiresAt.toISOString()}: open the environment again`, Code.FailedPrecondition);
      }
      callDetailsOf(ctx).revision = session.revision;
      const root = fromBinary(ValueSchema, await deps.sealer.open(key, session.id, session.payload));
      const value = valueAtPath(root, path);
      if (value === undefined) throw new ConnectError(`path "${req.path}" not found in the environment`, Code.NotFound);
      return { value, valueJson: `${JSON.stringify(protoValueToJson(value), null, 2)}\n` };
    },
    async resolveEnvironment(req, ctx) {
      const key = environmentKeyOf(req);
      const access = accessOf(ctx);
      const cache = deps.resolveCache;
      const request = { key, version: req.version, context: executionContextOf(principalOf(ctx), key.org) };
      const mark = cache?.mark() ?? 0;
      if (cache !== undefined) {
        const mayOpen = async (k: EnvironmentKey) => permits(await access.permissionOn({ org: k.org, project: k.project, environment: k.name }), "open");
        const hit = await cache.get(request, mayOpen);
        if (hit !== undefined) {
          callDetailsOf(ctx).revision = hit.revision;
          return ctx.values.get(sendsWireBytesKey) ? withWireBytes(create(ResolveEnvironmentResponseSchema), hit.bytes) : fromBinary(ResolveEnvironmentResponseSchema, hit.bytes);
        }
      }
      const opened = await openEnvironment(deps, key, req.version, principalOf(ctx), callDetailsOf(ctx).providerCalls, createImportAccess(access, "open"));
      callDetailsOf(ctx).revision = opened.revision;
      const response: ResolveEnvironmentResponse = create(ResolveEnvironmentResponseSchema, { ...resolvedParts(opened), revision: BigInt(opened.revision) });
      if (cache === undefined || opened.dynamic || opened.environmentId === undefined) return response;
      // Encoded once: the bytes are both the cache entry and (on gRPC) what goes on the wire.
      const bytes = toBinary(ResolveEnvironmentResponseSchema, response);
      cache.put(request, { root: { environmentId: opened.environmentId, revision: opened.revision }, imports: opened.imports, bytes }, mark);
      return withWireBytes(response, bytes);
    },
    async resolveAnonymousEnvironment(req, ctx) {
      const org = validateSegment("org", req.org);
      if (Buffer.byteLength(req.definition, "utf8") > MAX_DEFINITION_BYTES) throw invalidField("definition", `must be at most ${MAX_DEFINITION_BYTES} bytes`);
      // An unknown org is NotFound, not a pile of "environment not found" diagnostics.
      await deps.store.organizations.get(org);
      return resolvedParts(await openAnonymousDefinition(deps, org, req.definition, principalOf(ctx), callDetailsOf(ctx).providerCalls, createImportAccess(accessOf(ctx), "open")));
    },
  };
}

// The value and its projections, as both Resolve responses carry them.
function resolvedParts(opened: OpenedEnvironment) {
  const value = opened.value;
  const projected = (entries: ReturnType<typeof environmentVariables>) => Object.fromEntries(entries.map((e) => [e.name, { value: e.value, secret: e.secret }]));
  const config = value === null ? undefined : pulumiConfig(value);
  return {
    value: value === null ? undefined : toProtoValue(value, { showSecrets: true }),
    valueJson: value === null ? "null\n" : renderJson(value, { redact: false }),
    environmentVariables: projected(environmentVariables(value)),
    files: projected(files(value)),
    pulumiConfig: config === undefined ? undefined : toProtoValue(config as EscValue, { showSecrets: true }),
    diagnostics: opened.warnings.map(toDiagnostic),
  };
}

function sessionDuration(duration: Duration | undefined): number {
  if (duration === undefined) return DEFAULT_SESSION_MS;
  const ms = Number(duration.seconds) * 1000 + Math.floor(duration.nanos / 1e6);
  if (ms < MIN_SESSION_MS || ms > MAX_SESSION_MS) throw invalidField("duration", "must be between 1s and 24h");
  return ms;
}

/** The value type the service stores, for tests. */
export type SessionValue = Value;
