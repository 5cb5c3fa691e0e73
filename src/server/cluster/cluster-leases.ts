/**
 * The replica-wide rate limits of `openesc serve --workers N` over node:cluster IPC. The primary
 * owns one set of token buckets (rate-limiter.ts) and grants tokens in chunks; each worker holds
 * leases of them (limits/leased-buckets.ts), so the configured limits hold for the replica as a
 * whole while a call is still admitted by a local, synchronous check.
 */
import type { Worker } from "node:cluster";
import { createLeasedBuckets, createRateLimiter, type Grant, type LimitScope, type Rate, type RateLimiter, type ServerLimits, type TokenBuckets } from "../limits/index.js";
import { isClusterMessage, type LeaseReply, type LeaseRequest, type LeaseReturn } from "./cluster-messages.js";

/** How long a worker waits for a lease reply before judging by a bucket of its own. */
const REPLY_TIMEOUT_MS = 2000;
/** A worker's unused tokens go back to the primary once its lease of a key has been idle this long. */
export const LEASE_MS = 1000;

/** The primary's side: answers the workers' lease requests and takes back what they return. */
export interface LeaseBank {
  /** Handles a message from `worker` if it is about leases; returns whether it was. */
  handle(worker: Worker, message: unknown): boolean;
}

/** `now`: milliseconds, monotonic (tests); default `performance.now`. */
export function createLeaseBank(limits: Pick<ServerLimits, "identityRate" | "peerRate">, now?: () => number): LeaseBank {
  const banks: Partial<Record<LimitScope, RateLimiter>> = {};
  if (limits.identityRate !== undefined) banks.identity = createRateLimiter({ rate: limits.identityRate, now });
  if (limits.peerRate !== undefined) {
    banks.peer = createRateLimiter({ rate: limits.peerRate, now });
    banks.failures = createRateLimiter({ rate: limits.peerRate, now });
  }
  return {
    handle(worker, message) {
      if (!isClusterMessage(message)) return false;
      if (message.openesc === "lease?") {
        const bank = banks[message.scope];
        const reply: LeaseReply =
          bank === undefined ? { openesc: "lease!", id: message.id, granted: 0, retryAfterMs: 0, unlimited: true } : { openesc: "lease!", id: message.id, ...bank.lease(message.key, message.want) };
        if (worker.isConnected()) worker.send(reply);
        return true;
      }
      if (message.openesc === "lease-return") {
        banks[message.scope]?.giveBack(message.key, message.tokens);
        return true;
      }
      return false;
    },
  };
}

/**
 * The worker's side: buckets for `scope` leased from the primary. Every scope shares one listener
 * for the replies; each has a timer giving back expired leases.
 */
export function clusterTokenBuckets(scope: LimitScope, rate: Rate): TokenBuckets {
  const channel = {
    request(key: string, want: number): Promise<Grant | undefined> {
      if (process.send === undefined || !process.connected) return Promise.resolve(undefined);
      const id = ++nextId;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          // A reply that comes later gives its tokens back (waiting.get(id) is gone by then).
          waiting.set(id, (reply) => (reply.granted > 0 ? channel.giveBack(key, reply.granted) : undefined));
          setTimeout(() => waiting.delete(id), 60_000).unref();
          resolve(undefined);
        }, REPLY_TIMEOUT_MS);
        waiting.set(id, (reply) => {
          clearTimeout(timer);
          resolve(reply.unlimited === true ? undefined : { granted: reply.granted, retryAfterMs: reply.retryAfterMs });
        });
        process.send?.({ openesc: "lease?", id, scope, key, want } satisfies LeaseRequest);
      });
    },
    giveBack(key: string, tokens: number): void {
      if (process.connected) process.send?.({ openesc: "lease-return", scope, key, tokens } satisfies LeaseReturn);
    },
  };
  listen();
  const buckets = createLeasedBuckets({ rate, channel, leaseMs: LEASE_MS });
  setInterval(() => buckets.expire(), LEASE_MS).unref();
  return buckets;
}

let nextId = 0;
const waiting = new Map<number, (reply: LeaseReply) => void>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  process.on("message", (message: unknown) => {
    if (!isClusterMessage(message) || message.openesc !== "lease!") return;
    const wake = waiting.get(message.id);
    waiting.delete(message.id);
    wake?.(message);
  });
}
