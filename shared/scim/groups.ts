// The SCIM /Groups core: groups with members (user ids of the same account) and an optional dashboard role.
import type { AuditEvent } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import {
  createGroup as createGroupItem,
  deleteGroup as deleteGroupItem,
  getGroupItem,
  getGroupItemByName,
  getGroupItemsByExternalId,
  groupCount,
  groupIdsOfUser,
  listGroupItemsPage,
  memberIdsOfGroup,
  updateGroup,
  type GroupFields,
  type GroupItem,
} from '../db/groups.ts';
import { accountPk } from '../db/keys.ts';
import type { Role } from '../db/users.ts';
import { NotFound } from '../http/errors.ts';
import { urlFor } from '../http/url.ts';
import { ScimError, invalidValue, tooMany } from './errors.ts';
import { matches, planLookup, type Filter } from './filter.ts';
import {
  MAX_IN_MEMORY,
  checkIfMatch,
  decodeScimCursor,
  encodeScimCursor,
  etagOf,
  listResponse,
  sortResources,
  type ListQuery,
  retryOnConflict,
} from './http.ts';
import { applyPatch, type PatchOperation } from './patch.ts';
import { canonicalise, project, type ScimObject } from './resource.ts';
import { CORE_GROUP, GROUP_KIND, IDENTITY_GROUP } from './schema.ts';

const ROLES: readonly Role[] = ['admin', 'member'];

const isObject = (value: unknown): value is ScimObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface LoadedGroup {
  item: GroupItem;
  /** undefined when members were not read (excludedAttributes=members). */
  memberIds?: string[];
}

function canonicalGroup(group: LoadedGroup): ScimObject {
  const { item, memberIds } = group;
  return {
    displayName: item.displayName,
    ...(item.externalId ? { externalId: item.externalId } : {}),
    ...(memberIds && memberIds.length ? { members: memberIds.map((value) => ({ value })) } : {}),
    ...(item.role ? { [IDENTITY_GROUP]: { role: item.role } } : {}),
  };
}

export function renderGroup(group: LoadedGroup): ScimObject {
  const { item, memberIds } = group;
  return {
    schemas: [CORE_GROUP, ...(item.role ? [IDENTITY_GROUP] : [])],
    id: item.id,
    ...(item.externalId ? { externalId: item.externalId } : {}),
    displayName: item.displayName,
    ...(memberIds
      ? { members: memberIds.map((value) => ({ value, $ref: urlFor('scim-users-get', { id: value }), type: 'User' })) }
      : {}),
    ...(item.role ? { [IDENTITY_GROUP]: { role: item.role } } : {}),
    meta: {
      resourceType: 'Group',
      created: item.createdAt,
      lastModified: item.updatedAt,
      location: urlFor('scim-groups-get', { id: item.id }),
      version: etagOf(item.version),
    },
  };
}

export const groupHeaders = (item: GroupItem, withLocation = false): Record<string, string> => ({
  ETag: etagOf(item.version),
  ...(withLocation ? { Location: urlFor('scim-groups-get', { id: item.id }) } : {}),
});

function toFields(resource: ScimObject): { fields: GroupFields; memberIds: string[] } {
  const displayName = resource.displayName;
  if (typeof displayName !== 'string' || displayName.trim() === '') throw invalidValue('displayName is required');
  if (displayName.length > 256) throw invalidValue('displayName is longer than 256 characters');
  const identity = isObject(resource[IDENTITY_GROUP]) ? resource[IDENTITY_GROUP] : {};
  const role = identity.role as Role | undefined;
  if (role !== undefined && !ROLES.includes(role)) throw invalidValue(`${IDENTITY_GROUP}:role must be one of ${ROLES.join(', ')}`);
  const members = Array.isArray(resource.members) ? resource.members : [];
  const memberIds = [...new Set(members.map((m) => (isObject(m) ? m.value : undefined)))];
  if (memberIds.some((id) => typeof id !== 'string' || id === '' || id.length > 64)) {
    throw invalidValue('Every member needs a value: the id of a user of this account');
  }
  const externalId = typeof resource.externalId === 'string' && resource.externalId !== '' ? resource.externalId : undefined;
  return { fields: { displayName, externalId, role }, memberIds: memberIds as string[] };
}

export async function createGroup(db: Db, accountId: string, body: unknown, audit: AuditEvent): Promise<LoadedGroup> {
  const { fields, memberIds } = toFields(canonicalise(GROUP_KIND, body));
  const item = await createGroupItem(db, accountId, fields, memberIds, { ...audit, details: { displayName: fields.displayName } });
  return { item, memberIds };
}

export async function getGroup(db: Db, accountId: string, id: string, withMembers = true): Promise<LoadedGroup> {
  const item = await getGroupItem(db, accountId, id);
  if (!item) throw new NotFound(`No group with id ${id}`);
  return { item, ...(withMembers ? { memberIds: await memberIdsOfGroup(db, accountId, id) } : {}) };
}

/** Are members wanted in the response (RFC 7644 §3.4.2.5)? `excludedAttributes=members` saves the membership Query. */
export function wantsMembers(query: { attributes?: string; excludedAttributes?: string }): boolean {
  const names = (list?: string) => (list ?? '').split(',').map((s) => s.trim().toLowerCase());
  if (query.attributes) return names(query.attributes).some((n) => n === 'members' || n.startsWith('members.'));
  return !names(query.excludedAttributes).includes('members');
}

async function update(
  db: Db,
  accountId: string,
  id: string,
  headers: Record<string, string>,
  change: (current: LoadedGroup) => ScimObject,
  audit: AuditEvent,
): Promise<LoadedGroup> {
  return retryOnConflict(headers, 'group', async () => {
    const current = await getGroup(db, accountId, id);
    checkIfMatch(headers, current.item.version);
    const { fields, memberIds } = toFields(change(current));
    const before = new Set(current.memberIds);
    const after = new Set(memberIds);
    const added = memberIds.filter((m) => !before.has(m));
    const removed = (current.memberIds ?? []).filter((m) => !after.has(m));
    const item = await updateGroup(db, current.item, fields, added, removed, audit);
    return { item, memberIds };
  });
}

export function replaceGroup(db: Db, accountId: string, id: string, body: unknown, headers: Record<string, string>, audit: AuditEvent) {
  const replacement = canonicalise(GROUP_KIND, body);
  return update(db, accountId, id, headers, () => replacement, audit);
}

export function patchGroup(
  db: Db,
  accountId: string,
  id: string,
  operations: PatchOperation[],
  headers: Record<string, string>,
  audit: AuditEvent,
) {
  return update(db, accountId, id, headers, (current) => applyPatch(GROUP_KIND, canonicalGroup(current), operations), audit);
}

export async function deleteGroup(db: Db, accountId: string, id: string, headers: Record<string, string>, audit: AuditEvent) {
  const current = await getGroup(db, accountId, id, false);
  checkIfMatch(headers, current.item.version);
  await deleteGroupItem(db, current.item, audit);
}

/** `members[value eq "u"]` or `members.value eq "u"` (alone or in the top-level AND chain): the user's groups, by index. */
function memberLookup(filter: Filter): string | undefined {
  if (filter.op === 'and') return memberLookup(filter.left) ?? memberLookup(filter.right);
  const isMembers = (path: string) => path.toLowerCase() === 'members';
  if (filter.op === 'valuePath' && isMembers(filter.path)) {
    const inner = filter.filter;
    if (inner.op === 'eq' && inner.path.toLowerCase() === 'value' && typeof inner.value === 'string') return inner.value;
    return undefined;
  }
  if (filter.op === 'eq' && filter.path.toLowerCase() === 'members.value' && typeof filter.value === 'string') return filter.value;
  return undefined;
}

async function candidates(db: Db, accountId: string, query: ListQuery): Promise<GroupItem[]> {
  const lookup = query.filter ? planLookup(GROUP_KIND, query.filter) : undefined;
  // Empty names and externalIds are never stored, and DynamoDB refuses empty keys.
  if (lookup && lookup.value === '') return [];
  if (lookup?.attribute === 'id') {
    const item = await getGroupItem(db, accountId, lookup.value);
    return item ? [item] : [];
  }
  if (lookup?.attribute === 'displayName') {
    const item = await getGroupItemByName(db, accountId, lookup.value);
    return item ? [item] : [];
  }
  if (lookup?.attribute === 'externalId') return getGroupItemsByExternalId(db, accountId, lookup.value);
  const member = query.filter ? memberLookup(query.filter) : undefined;
  if (member !== undefined) {
    if (member === '') return [];
    const ids = await groupIdsOfUser(db, accountId, member);
    const items = await Promise.all(ids.map((id) => getGroupItem(db, accountId, id)));
    return items.filter((item): item is GroupItem => item !== undefined);
  }
  const items: GroupItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await listGroupItemsPage(db, accountId, { limit: 1000, startKey });
    items.push(...page.items);
    startKey = page.lastKey;
    if (items.length > MAX_IN_MEMORY) throw tooMany(`This account has more than ${MAX_IN_MEMORY} groups; filter on displayName or externalId`);
  } while (startKey);
  return items;
}

/**
 * GET /Groups: `displayName eq`, `externalId eq` and `id eq` are key lookups; anything else reads the account's groups
 * (bounded) and filters in memory. Members are read only for the groups on the page, or for all candidates when the
 * filter names members.
 */
export async function listGroups(db: Db, accountId: string, query: ListQuery): Promise<ScimObject> {
  const cursorMode = query.cursor !== undefined;
  const cursor = decodeScimCursor(query.cursor, accountPk(accountId));
  const withMembers = wantsMembers(query);
  const view = async (item: GroupItem) =>
    project(
      GROUP_KIND,
      renderGroup({ item, ...(withMembers ? { memberIds: await memberIdsOfGroup(db, accountId, item.id) } : {}) }),
      query,
    );

  if (!query.filter && !query.sortBy && !(cursor && 'o' in cursor)) {
    // Unfiltered: the counter for totalResults and one Query for the page (keys-only Queries to skip to startIndex).
    const totalResults = await groupCount(db, accountId);
    if (query.count === 0) return listResponse([], totalResults, cursorMode ? {} : { startIndex: query.startIndex });
    let startKey: Record<string, unknown> | undefined = cursor && 'k' in cursor ? cursor.k : undefined;
    let skip = cursorMode ? 0 : query.startIndex - 1;
    while (skip > 0) {
      const page = await listGroupItemsPage(db, accountId, { limit: Math.min(skip, 1000), startKey, keysOnly: true });
      skip -= page.items.length;
      startKey = page.lastKey;
      if (!startKey) return listResponse([], totalResults, { startIndex: query.startIndex });
    }
    const page = await listGroupItemsPage(db, accountId, { limit: query.count + 1, startKey });
    const items = page.items.slice(0, query.count);
    const last = items[items.length - 1];
    return listResponse(await Promise.all(items.map(view)), totalResults, {
      ...(cursorMode ? {} : { startIndex: query.startIndex }),
      ...(cursorMode && page.items.length > query.count && last
        ? { nextCursor: encodeScimCursor({ k: { pk: last.pk, sk: last.sk } }) }
        : {}),
    });
  }

  if (cursor && 'k' in cursor) throw new ScimError(400, 'invalidCursor', 'The cursor is not valid for this filter or sort');
  const items = await candidates(db, accountId, query);
  const filterNeedsMembers = query.filter !== undefined && JSON.stringify(query.filter).toLowerCase().includes('"members');
  let loaded: LoadedGroup[] = await Promise.all(
    items.map(async (item) => ({
      item,
      ...(filterNeedsMembers ? { memberIds: await memberIdsOfGroup(db, accountId, item.id) } : {}),
    })),
  );
  if (query.filter) loaded = loaded.filter((g) => matches(GROUP_KIND, query.filter!, renderGroup({ ...g, memberIds: g.memberIds ?? [] })));
  let resources = loaded;
  if (query.sortBy) {
    const sorted = sortResources(GROUP_KIND, loaded.map((g) => ({ ...renderGroup(g), __g: g }) as ScimObject), query.sortBy, query.descending);
    resources = sorted.map((r) => r.__g as LoadedGroup);
  }
  const offset = cursorMode ? (cursor && 'o' in cursor ? cursor.o : 0) : query.startIndex - 1;
  const page = resources.slice(offset, offset + query.count);
  const rendered = await Promise.all(
    page.map(async (g) => {
      const memberIds = withMembers ? (g.memberIds ?? (await memberIdsOfGroup(db, accountId, g.item.id))) : undefined;
      return project(GROUP_KIND, renderGroup({ item: g.item, memberIds }), query);
    }),
  );
  const end = offset + page.length;
  return listResponse(rendered, resources.length, {
    ...(cursorMode ? {} : { startIndex: query.startIndex }),
    ...(cursorMode && end < resources.length && query.count > 0 ? { nextCursor: encodeScimCursor({ o: end }) } : {}),
  });
}
