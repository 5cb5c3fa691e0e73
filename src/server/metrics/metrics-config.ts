/** Where `/metrics` is served: on the main port, on a port of its own, or not at all. */
export type MetricsListen = "main" | "off" | { readonly host: string; readonly port: number };

export interface MetricsConfig {
  readonly listen: MetricsListen;
  /** When set, a scrape must send `Authorization: Bearer <token>` (from OPENESC_METRICS_TOKEN only, never a flag). */
  readonly token?: string;
}

/**
 * `--metrics-listen HOST:PORT` (or OPENESC_METRICS_LISTEN) serves /metrics only there, so the
 * public port need not expose it; `off` disables it; the default serves it on the main port.
 */
export function resolveMetricsConfig(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  parseListen: (listen: string) => { host: string; port: number },
): MetricsConfig {
  const text = flag ?? env.OPENESC_METRICS_LISTEN ?? "main";
  const listen: MetricsListen = text === "main" || text === "off" ? text : parseListen(text);
  const token = env.OPENESC_METRICS_TOKEN;
  return { listen, ...(token === undefined || token === "" ? {} : { token }) };
}
