/**
 * Vitest global setup: makes a PostgreSQL server available to every test worker through
 * `OPENESC_TEST_POSTGRES_URL` (set in this process before the workers fork, and also `provide`d).
 * Uses the variable when already set, else starts a throwaway cluster from the local binaries,
 * else warns loudly: the Postgres cases then skip visibly. `OPENESC_TEST_POSTGRES=required` (for CI)
 * turns that skip into a failure; `OPENESC_TEST_POSTGRES=off` skips on purpose.
 */
import type { TestProject } from "vitest/node";
import { POSTGRES_SWITCH_ENV, POSTGRES_URL_ENV, startTestPostgres } from "./support/postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The admin URL of the test PostgreSQL server; "" when Postgres tests are skipped. */
    openescPostgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestPostgres();
  if (server === undefined && process.env[POSTGRES_SWITCH_ENV] === "required") {
    throw new Error(`PostgreSQL not found but ${POSTGRES_SWITCH_ENV}=required: install it or set ${POSTGRES_URL_ENV}`);
  }
  if (server === undefined) {
    const line = "*".repeat(72);
    const reason = process.env[POSTGRES_SWITCH_ENV] === "off" ? `${POSTGRES_SWITCH_ENV}=off` : "PostgreSQL not found";
    console.warn(
      `\n${line}\n*** ${reason}: Postgres tests SKIPPED ***\n` +
        `*** install PostgreSQL (e.g. apt-get install postgresql) or set ${POSTGRES_URL_ENV} ***\n${line}\n`,
    );
    project.provide("openescPostgresUrl", "");
    return async () => {};
  }
  process.env[POSTGRES_URL_ENV] = server.url;
  project.provide("openescPostgresUrl", server.url);
  if (server.started) console.info(`[global-setup] throwaway PostgreSQL at ${server.url}`);
  return async () => {
    await server.stop();
  };
}
