import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { EnvironmentSchema, type Environment } from "../../gen/openesc/v1/environment_pb.js";
import { EnvironmentTagSchema, type EnvironmentTag } from "../../gen/openesc/v1/environment_tag_pb.js";
import { OrganizationSchema, type Organization } from "../../gen/openesc/v1/organization_pb.js";
import { RevisionSchema, type Revision } from "../../gen/openesc/v1/revision_pb.js";
import { RevisionTagSchema, type RevisionTag } from "../../gen/openesc/v1/revision_tag_pb.js";
import { TokenSchema, type Token } from "../../gen/openesc/v1/token_pb.js";
import type {
  EnvironmentRecord,
  EnvironmentTagRecord,
  OrganizationRecord,
  RevisionRecord,
  RevisionTagRecord,
  TokenRecord,
} from "../../store/index.js";

/** Pure mappings from store records to proto messages. */

/** The environment's etag: changes with every revision. */
export function environmentEtag(record: EnvironmentRecord): string {
  return `"${record.org}/${record.project}/${record.name}@${record.latestRevision}"`;
}

export function toEnvironment(record: EnvironmentRecord): Environment {
  return create(EnvironmentSchema, {
    org: record.org,
    project: record.project,
    name: record.name,
    revision: BigInt(record.latestRevision),
    etag: environmentEtag(record),
    createTime: timestampFromDate(record.createdAt),
    updateTime: timestampFromDate(record.updatedAt),
    createdBy: record.createdBy,
    updatedBy: record.updatedBy,
    tags: { ...record.tags },
    deletionProtected: record.deletionProtected,
  });
}

export function toRevision(record: RevisionRecord): Revision {
  return create(RevisionSchema, {
    number: BigInt(record.number),
    definition: record.definition,
    createTime: timestampFromDate(record.createdAt),
    author: record.author,
    etag: `"${record.etag}"`,
    retracted: record.retracted,
    retractionReason: record.retractionReason,
    retractedBy: record.retractedBy,
    retractTime: record.retractedAt === null ? undefined : timestampFromDate(record.retractedAt),
    replacementRevision: BigInt(record.replacementRevision ?? 0),
    tags: [...record.tags],
  });
}

export function toRevisionTag(record: RevisionTagRecord): RevisionTag {
  return create(RevisionTagSchema, {
    name: record.name,
    revision: BigInt(record.revision),
    createTime: timestampFromDate(record.createdAt),
    updateTime: timestampFromDate(record.updatedAt),
    editor: record.editor,
  });
}

export function toEnvironmentTag(record: EnvironmentTagRecord): EnvironmentTag {
  return create(EnvironmentTagSchema, {
    name: record.name,
    value: record.value,
    createTime: timestampFromDate(record.createdAt),
    updateTime: timestampFromDate(record.updatedAt),
    editor: record.editor,
  });
}

export function toOrganization(record: OrganizationRecord): Organization {
  return create(OrganizationSchema, {
    name: record.name,
    description: record.description,
    createTime: timestampFromDate(record.createdAt),
  });
}

export function toToken(record: TokenRecord, identity: { login: string; org: string }): Token {
  return create(TokenSchema, {
    id: record.id,
    description: record.description,
    identity: identity.login,
    org: identity.org,
    createTime: timestampFromDate(record.createdAt),
    expireTime: record.expiresAt === null ? undefined : timestampFromDate(record.expiresAt),
    revokeTime: record.revokedAt === null ? undefined : timestampFromDate(record.revokedAt),
    lastUseTime: record.lastUsedAt === null ? undefined : timestampFromDate(record.lastUsedAt),
  });
}
