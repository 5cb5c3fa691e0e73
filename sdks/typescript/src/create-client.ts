import { createOpenEscClientOver, type OpenEscClient } from "./client.js";
import type { OpenEscClientOptions } from "./options.js";
import { connectionFor } from "./platform.js";

/**
 * Creates a client. In Node, with no options it uses `OPENESC_URL`/`OPENESC_TOKEN` and then the CLI
 * credentials file; in browsers pass `url` and `token`. Throws InvalidError when no server is known.
 *
 * ```ts
 * const esc = createOpenEscClient({ url: "https://esc.example.com", token });
 * const env = await esc.open("acme/payments/prod");
 * ```
 */
export function createOpenEscClient(options: OpenEscClientOptions = {}): OpenEscClient {
  return createOpenEscClientOver(connectionFor(options));
}
