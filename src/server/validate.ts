import type { EnvironmentKey, PageRequest } from "../store/index.js";
import { invalidField } from "./errors.js";

const SEGMENT = /^[A-Za-z0-9_.-]{1,100}$/;
const TAG_NAME = /^[A-Za-z0-9_.:/-]{1,100}$/;
const MAX_TAG_VALUE = 1000;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/** A name segment (org, project, environment, revision tag): letters, digits, `-`, `_`, `.`; 1–100 chars. */
export function validateSegment(field: string, value: string): string {
  if (value === "") throw invalidField(field, "must not be empty");
  if (!SEGMENT.test(value)) {
    throw invalidField(field, "must be 1–100 letters, digits, '-', '_' or '.'");
  }
  if (/^\.+$/.test(value)) throw invalidField(field, "must not consist of dots only");
  return value;
}

/** The `org`, `project`, `environment` fields every environment request carries. */
export function environmentKeyOf(request: { org: string; project: string; environment: string }): EnvironmentKey {
  return {
    org: validateSegment("org", request.org),
    project: validateSegment("project", request.project),
    name: validateSegment("environment", request.environment),
  };
}

/** A revision tag name: a segment that is not a number (numbers are revisions). */
export function validateRevisionTagName(field: string, value: string): string {
  validateSegment(field, value);
  if (/^[0-9]+$/.test(value)) throw invalidField(field, "must not be a number: numbers name revisions");
  return value;
}

/** An environment tag: name of 1–100 of letters, digits, `-_.:/`; value of at most 1000 chars. */
export function validateEnvironmentTag(nameField: string, name: string, value?: string): void {
  if (!TAG_NAME.test(name)) throw invalidField(nameField, "must be 1–100 letters, digits, '-', '_', '.', ':' or '/'");
  if (value !== undefined && value.length > MAX_TAG_VALUE) throw invalidField("value", `must be at most ${MAX_TAG_VALUE} characters`);
}

/** A positive revision number. */
export function validateRevision(field: string, value: bigint | number, options: { allowZero?: boolean } = {}): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0 || (n === 0 && options.allowZero !== true)) {
    throw invalidField(field, "must be a positive revision number");
  }
  return n;
}

/** Page size 0 means the default (100); sizes above 1000 are reduced to 1000, negative ones refused. */
export function pageRequestOf(request: { pageSize: number; pageToken: string }): PageRequest {
  if (request.pageSize < 0) throw invalidField("page_size", "must not be negative");
  const pageSize = request.pageSize === 0 ? DEFAULT_PAGE_SIZE : Math.min(request.pageSize, MAX_PAGE_SIZE);
  return { pageSize, pageToken: request.pageToken };
}
