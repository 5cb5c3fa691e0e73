/**
 * The audit step's one-event-per-call rule around handlers that open several transactions, on both
 * dialects: the event rides in the first transaction that commits, never in two, never in none.
 */
import { Code, ConnectError, createHandlerContext, type HandlerContext } from "@connectrpc/connect";
import { pino } from "pino";
import { beforeEach, describe, expect, test } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { createAuditStep, type AuditStep } from "../../src/server/rpc/audit-step.js";
import { callInfoKey, principalKey } from "../../src/server/rpc/call-context.js";
import { createAuditRepository, type EnvironmentKey } from "../../src/store/index.js";
import { DIALECTS, dialectAvailable, useTestStore } from "../store/dialects.js";
import { countEvents, resetAudit } from "./support.js";

const UPDATE = EnvironmentService.method.updateEnvironment;
const KEY: EnvironmentKey = { org: "acme", project: "p", name: "e" };
const INPUT = { org: "acme", project: "p", environment: "e" };

function context(requestId: string): HandlerContext {
  const ctx = createHandlerContext({ service: EnvironmentService, method: UPDATE, protocolName: "connect", requestMethod: "POST", url: "http://x/" });
  ctx.values.set(callInfoKey, { requestId, peer: "127.0.0.1:1" });
  ctx.values.set(principalKey, { identityId: "id-alice", login: "alice", org: "acme", kind: "user", role: "admin", tokenId: "0123456789abcdef" } as never);
  return ctx;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: audit step`, () => {
    const t = useTestStore(dialect);
    let step: AuditStep;

    beforeEach(async () => {
      await resetAudit(t.store);
      await t.store.organizations.create({ name: "acme", description: "" });
      await t.store.environments.create({ key: KEY, definition: "a: 1\n", author: "x" });
      step = createAuditStep({ store: t.store, logger: pino({ level: "silent" }) });
    });

    async function call(ctx: HandlerContext, handler: () => Promise<unknown>): Promise<unknown> {
      try {
        await step.run(UPDATE, ctx, INPUT, handler);
      } catch (e) {
        return step.settle(UPDATE, ctx, INPUT, e);
      }
      return step.settle(UPDATE, ctx, INPUT, undefined);
    }

    async function events() {
      const audit = createAuditRepository(t.store.db, t.store.capabilities);
      return (await audit.scan({ chain: "acme" }, 0, 100)).map((e) => `${e.requestId} ${e.outcome} ${e.revision ?? "-"}`);
    }

    test("two transactions in one call: the event rides in the first, once", async () => {
      await call(context("two"), async () => {
        await t.store.environments.update({ key: KEY, definition: "a: 2\n", baseRevision: 1, author: "x" });
        await t.store.environments.update({ key: KEY, definition: "a: 3\n", baseRevision: 2, author: "x" });
      });
      expect(await events()).toEqual(["two ok 2"]);
    });

    test("a transaction that rolls back passes the event on to the next one that commits", async () => {
      await call(context("retry"), async () => {
        await t.store.environments.update({ key: KEY, definition: "a: 2\n", baseRevision: 7, author: "x" }).catch(() => undefined);
        await t.store.environments.update({ key: KEY, definition: "a: 2\n", baseRevision: 1, author: "x" });
      });
      expect(await events()).toEqual(["retry ok 2"]);
    });

    test("concurrent transactions in one call, one of them rolling back: still exactly one event", async () => {
      const other: EnvironmentKey = { ...KEY, name: "f" };
      await t.store.environments.create({ key: other, definition: "a: 1\n", author: "x" });
      await resetAudit(t.store);
      await call(context("both"), async () => {
        await Promise.all([
          t.store.environments.update({ key: KEY, definition: "a: 2\n", baseRevision: 9, author: "x" }).catch(() => undefined),
          t.store.environments.update({ key: other, definition: "a: 2\n", baseRevision: 1, author: "x" }),
        ]);
      });
      expect(await countEvents(t.store)).toBe(1);
      expect((await events())[0]).toMatch(/^both ok /);
    });

    test("a failed call without a committed transaction gets its event from settle, with its code", async () => {
      const answer = await call(context("stale"), () => t.store.environments.update({ key: KEY, definition: "a: 2\n", baseRevision: 7, author: "x" }));
      expect(answer).toBeInstanceOf(ConnectError);
      expect((answer as ConnectError).code).toBe(Code.Aborted);
      expect(await events()).toEqual(["stale aborted -"]);
    });

    test("a call that fails after its transaction committed keeps the committed event (the change happened)", async () => {
      await call(context("late"), async () => {
        await t.store.environments.update({ key: KEY, definition: "a: 2\n", baseRevision: 1, author: "x" });
        throw new ConnectError("conversion failed", Code.Internal);
      });
      expect(await events()).toEqual(["late ok 2"]);
      expect(await countEvents(t.store)).toBe(1);
    });
  });
}
