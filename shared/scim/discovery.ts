// Discovery (RFC 7644 §4): what this server supports, stated exactly — the same constants the endpoints enforce.
import { NotFound } from '../http/errors.ts';
import { urlFor } from '../http/url.ts';
import { DEFAULT_COUNT, MAX_COUNT, listResponse } from './http.ts';
import { MAX_PATCH_OPERATIONS } from './patch.ts';
import {
  ALL_SCHEMAS,
  GROUP_KIND,
  RESOURCE_TYPE,
  SCHEMA,
  SERVICE_PROVIDER_CONFIG,
  USER_KIND,
  type ResourceKind,
  type SchemaDefinition,
} from './schema.ts';
import type { ScimObject } from './resource.ts';

export function serviceProviderConfig(): ScimObject {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG],
    documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    // RFC 9865: both index and cursor pagination.
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: DEFAULT_COUNT,
      maxPageSize: MAX_COUNT,
    },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'API key (Bearer)',
        description: `An API key of the account with the scim scope, as "Authorization: Bearer ik_…"; at most ${MAX_PATCH_OPERATIONS} PATCH operations per request`,
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: urlFor('scim-service-provider-config') },
  };
}

function resourceType(kind: ResourceKind): ScimObject {
  return {
    schemas: [RESOURCE_TYPE],
    id: kind.name,
    name: kind.name,
    endpoint: kind.endpoint,
    description: kind.core.description,
    schema: kind.core.id,
    schemaExtensions: kind.extensions.map((e) => ({ schema: e.id, required: false })),
    meta: { resourceType: 'ResourceType', location: urlFor('scim-resource-types-get', { id: kind.name }) },
  };
}

const KINDS = [USER_KIND, GROUP_KIND];

export const resourceTypes = (): ScimObject => {
  const all = KINDS.map(resourceType);
  return listResponse(all, all.length, { startIndex: 1 });
};

export function resourceTypeById(id: string): ScimObject {
  const kind = KINDS.find((k) => k.name.toLowerCase() === id.toLowerCase());
  if (!kind) throw new NotFound(`No resource type ${id}; there are User and Group`);
  return resourceType(kind);
}

function schema(definition: SchemaDefinition): ScimObject {
  return {
    schemas: [SCHEMA],
    id: definition.id,
    name: definition.name,
    description: definition.description,
    attributes: definition.attributes,
    meta: { resourceType: 'Schema', location: urlFor('scim-schemas-get', { id: definition.id }) },
  };
}

export const schemas = (): ScimObject => {
  const all = ALL_SCHEMAS.map(schema);
  return listResponse(all, all.length, { startIndex: 1 });
};

export function schemaById(id: string): ScimObject {
  const definition = ALL_SCHEMAS.find((s) => s.id.toLowerCase() === id.toLowerCase());
  if (!definition) throw new NotFound(`No schema ${id}`);
  return schema(definition);
}
