/**
 * A configuration key as Pulumi writes it, `namespace:name`. A key without `:` belongs to the project
 * (`name` → `project:name`); the legacy form `namespace:config:name` means `namespace:name`. Returns
 * undefined for anything else (Pulumi refuses such a key).
 */
export function parseConfigKey(raw: string, project: string): string | undefined {
  const colons = raw.split(":").length - 1;
  if (colons === 0) return `${project}:${raw}`;
  if (colons === 1) return raw;
  const legacy = /^([^:]*):config:([^:]*)$/.exec(raw);
  return legacy === null ? undefined : `${legacy[1]}:${legacy[2]}`;
}

/** Pulumi's message for a key {@link parseConfigKey} refuses. */
export function invalidConfigKeyMessage(raw: string): string {
  return `could not parse ${raw} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`;
}

/** Whether a Pulumi.yaml config key belongs to the project itself (bare, or `project:…`). */
export function isProjectKey(raw: string, project: string): boolean {
  return !raw.includes(":") || raw.startsWith(`${project}:`);
}
