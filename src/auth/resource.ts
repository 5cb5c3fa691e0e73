/**
 * What a permission applies to: an organization, a project of it, or one environment. Projects
 * and environments are named, not stored objects: a grant on a project covers every environment
 * in it, present and future.
 */
export interface Resource {
  readonly org: string;
  /** Absent: the whole organization. */
  readonly project?: string;
  /** Absent: the whole project. Only with a project. */
  readonly environment?: string;
}

/** `org`, `org/project` or `org/project/env`, for messages. */
export function formatResource(resource: Resource): string {
  return [resource.org, resource.project, resource.environment].filter((s) => s !== undefined).join("/");
}

/** The kind of resource, for messages: `organization`, `project` or `environment`. */
export function resourceKind(resource: Resource): "organization" | "project" | "environment" {
  return resource.environment !== undefined ? "environment" : resource.project !== undefined ? "project" : "organization";
}
