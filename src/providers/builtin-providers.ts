/**
 * The built-in providers behind the evaluator's ProviderRegistry seam. Around every call: a time-out
 * (default 30 s; the upstream request is aborted), the failure reported on the `fn::open` node as
 * `NAME: what failed: CODE: message`, and one record per call (name, path, duration, outcome) for
 * the audit event. Inputs and outputs are never logged or recorded.
 */
import { performance } from "node:perf_hooks";
import { plain, type Provider, type ProviderContext, type ProviderRegistry } from "../esc/index.js";
import type { OidcIssuer } from "../oidc/index.js";
import { awsLogin } from "./aws-login.js";
import { awsParameterStore } from "./aws-parameter-store.js";
import { awsSecrets } from "./aws-secrets.js";
import type { BuiltinProvider, ProviderCall } from "./builtin-provider.js";
import { callFacts } from "./call-facts.js";
import { ProviderError } from "./provider-error.js";
import { vaultLogin } from "./vault-login.js";
import { vaultSecrets } from "./vault-secrets.js";

/** Every built-in provider, sorted by name. */
export const BUILTIN_PROVIDERS: readonly BuiltinProvider[] = [awsLogin, awsParameterStore, awsSecrets, vaultLogin, vaultSecrets];

export const DEFAULT_PROVIDER_TIMEOUT_MS = 30_000;

/** One provider call, as the audit event records it. */
export interface ProviderCallRecord {
  readonly provider: string;
  /** `ORG/PROJECT/ENV:PATH` of the `fn::open` node. */
  readonly path: string;
  readonly durationMs: number;
  /** `ok` or the failure's code. */
  readonly outcome: string;
}

export interface BuiltinProvidersOptions {
  /** Signs the tokens of OIDC exchanges; without it those exchanges fail with a clear message. */
  readonly issuer?: OidcIssuer;
  /** The time-out of one provider call. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** An endpoint for every AWS call whose inputs name none (tests: moto). */
  readonly awsEndpoint?: string;
  /** The providers to offer. Default {@link BUILTIN_PROVIDERS}. */
  readonly providers?: readonly BuiltinProvider[];
}

export interface BuiltinProviders {
  /** The time-out of one call in milliseconds. */
  readonly timeoutMs: number;
  list(): readonly BuiltinProvider[];
  get(name: string): BuiltinProvider | undefined;
  /** The registry for one evaluation; `record` receives each call. */
  registry(record?: (call: ProviderCallRecord) => void): ProviderRegistry;
}

export function createBuiltinProviders(options: BuiltinProvidersOptions = {}): BuiltinProviders {
  const all = [...(options.providers ?? BUILTIN_PROVIDERS)].sort((a, b) => a.name.localeCompare(b.name));
  const byName = new Map(all.map((p) => [p.name, p]));
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  return {
    timeoutMs,
    list: () => all,
    get: (name) => byName.get(name),
    registry(record) {
      const adapted = new Map<string, Provider>();
      for (const p of all) adapted.set(p.name, adapt(p, options, timeoutMs, record));
      return { provider: (name) => adapted.get(name), rotator: () => undefined };
    },
  };
}

function adapt(p: BuiltinProvider, options: BuiltinProvidersOptions, timeoutMs: number, record: ((call: ProviderCallRecord) => void) | undefined): Provider {
  return {
    inputSchema: p.inputSchema,
    outputSchema: p.outputSchema,
    async open(inputs, ctx) {
      const started = performance.now();
      const facts = callFacts(ctx);
      const controller = new AbortController();
      const deadline = Date.now() + timeoutMs;
      const timedOut = new ProviderError("deadline_exceeded", `no answer within ${formatSeconds(timeoutMs)} (the provider time-out)`);
      const timer = setTimeout(() => controller.abort(timedOut), timeoutMs);
      const ended = () => controller.abort(new ProviderError("cancelled", "the evaluation ended before the call finished"));
      ctx.signal.addEventListener("abort", ended, { once: true });
      if (ctx.signal.aborted) ended();
      const call: ProviderCall = {
        signal: controller.signal,
        remainingMs: () => deadline - Date.now(),
        facts,
        issueToken: async (claims) => {
          if (options.issuer === undefined) throw new ProviderError("unavailable", "this server issues no OIDC tokens");
          return options.issuer.issue({ ...claims, facts });
        },
        ...(options.awsEndpoint === undefined ? {} : { awsEndpoint: options.awsEndpoint }),
      };
      let outcome = "ok";
      try {
        return await Promise.race([p.open(plain(inputs), call), aborted(controller.signal)]);
      } catch (err) {
        const failure = controller.signal.aborted ? (controller.signal.reason as ProviderError) : toProviderError(err);
        outcome = failure.code;
        throw new Error(`${p.name}: ${failure.message}`);
      } finally {
        clearTimeout(timer);
        ctx.signal.removeEventListener("abort", ended);
        record?.({ provider: p.name, path: recordPath(facts.org, ctx), durationMs: Math.round(performance.now() - started), outcome });
      }
    },
  };
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
}

// An unexpected exception (a bug, a library's TypeError) says only what kind it was.
function toProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const name = err instanceof Error ? err.name : typeof err;
  return new ProviderError("internal", `internal error (${name})`);
}

function recordPath(org: string, ctx: ProviderContext): string {
  return `${org === "" ? "" : `${org}/`}${ctx.environment}:${ctx.path ?? ""}`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
