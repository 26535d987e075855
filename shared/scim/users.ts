// The SCIM /Users core: request in (already parsed), resource out. Knows SCIM and the repositories, nothing of Lambda.
import type { AuditEvent } from '../db/audit.ts';
import { getAccount } from '../db/accounts.ts';
import type { Db } from '../db/client.ts';
import { emailDomain, isDomainVerified } from '../db/domains.ts';
import { accountPk } from '../db/keys.ts';
import { membershipKeysOfUser } from '../db/groups.ts';
import {
  createScimUser,
  deleteScimUser,
  getUserItem,
  getUserItemByEmail,
  getUserItemsByExternalId,
  listUserItemsPage,
  replaceScimUser,
  type Role,
  type ScimUserFields,
  type ScimUserItem,
  type UserItem,
} from '../db/users.ts';
import { NotFound } from '../http/errors.ts';
import { urlFor } from '../http/url.ts';
import { ScimError, invalidValue, tooMany } from './errors.ts';
import { matches, planLookup } from './filter.ts';
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
import { CORE_USER, ENTERPRISE_USER, IDENTITY_USER, USER_KIND } from './schema.ts';

const ROLES: readonly Role[] = ['admin', 'member'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const isObject = (value: unknown): value is ScimObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The canonical SCIM attributes of a user: what SCIM stored, or (for invited/JIT users) what the dashboard knows. */
function storedResource(item: ScimUserItem): ScimObject {
  const stored = item.profile?.scim;
  if (isObject(stored)) return structuredClone(stored);
  const name: ScimObject = {};
  if (item.givenName) name.givenName = item.givenName;
  if (item.familyName) name.familyName = item.familyName;
  return {
    userName: item.email,
    ...(Object.keys(name).length ? { name } : {}),
    ...(item.displayName ? { displayName: item.displayName } : {}),
    emails: [{ value: item.email, type: 'work', primary: true }],
  };
}

/** The canonical resource with the dashboard's authoritative fields (email, active, role) laid over it. */
export function canonicalUser(item: ScimUserItem): ScimObject {
  const resource = storedResource(item);
  resource.userName = item.email;
  resource.active = item.active;
  if (item.externalId) resource.externalId = item.externalId;
  resource[IDENTITY_USER] = { ...(isObject(resource[IDENTITY_USER]) ? resource[IDENTITY_USER] : {}), role: item.role };
  return resource;
}

export function renderUser(item: ScimUserItem): ScimObject {
  const resource = canonicalUser(item);
  const { externalId, ...rest } = resource;
  return {
    schemas: [CORE_USER, ...(isObject(resource[ENTERPRISE_USER]) ? [ENTERPRISE_USER] : []), IDENTITY_USER],
    id: item.id,
    ...(externalId !== undefined ? { externalId } : {}),
    ...rest,
    meta: {
      resourceType: 'User',
      created: item.createdAt,
      lastModified: item.updatedAt,
      location: urlFor('scim-users-get', { id: item.id }),
      version: etagOf(item.version),
    },
  };
}

export const userHeaders = (item: ScimUserItem, withLocation = false): Record<string, string> => ({
  ETag: etagOf(item.version),
  ...(withLocation ? { Location: urlFor('scim-users-get', { id: item.id }) } : {}),
});

/** Validates a canonical resource and turns it into the repository's fields. */
function toFields(resource: ScimObject, fallbackRole: Role): ScimUserFields {
  const userName = resource.userName;
  if (typeof userName !== 'string' || userName.trim() === '') throw invalidValue('userName is required');
  if (!EMAIL.test(userName.trim()) || userName.length > 254) {
    throw invalidValue(`userName must be an email address (it is the user's sign-in email); got "${userName.slice(0, 100)}"`);
  }
  const identity = isObject(resource[IDENTITY_USER]) ? resource[IDENTITY_USER] : {};
  const role = (identity.role ?? fallbackRole) as Role;
  if (!ROLES.includes(role)) throw invalidValue(`${IDENTITY_USER}:role must be one of ${ROLES.join(', ')}`);
  const name = isObject(resource.name) ? resource.name : {};
  const externalId = typeof resource.externalId === 'string' && resource.externalId !== '' ? resource.externalId : undefined;
  if (externalId && externalId.length > 1024) throw invalidValue('externalId is longer than 1024 characters');
  const stored: ScimObject = { ...resource, userName: userName.trim() };
  delete stored.active;
  delete stored.externalId;
  return {
    email: userName.trim(),
    displayName: typeof resource.displayName === 'string' ? resource.displayName : undefined,
    givenName: typeof name.givenName === 'string' ? name.givenName : undefined,
    familyName: typeof name.familyName === 'string' ? name.familyName : undefined,
    active: resource.active !== false,
    role,
    externalId,
    profile: { scim: stored },
  };
}

async function checkDomain(db: Db, accountId: string, email: string): Promise<void> {
  const domain = emailDomain(email);
  if (!domain || !(await isDomainVerified(db, accountId, domain))) {
    throw invalidValue(
      `The domain of userName ${email} (${domain ?? 'none'}) is not a verified domain of this account; ` +
        'verify it under /api/v1/domains before provisioning users in it',
    );
  }
}

export async function createUser(db: Db, accountId: string, body: unknown, audit: AuditEvent): Promise<ScimUserItem> {
  const fields = toFields(canonicalise(USER_KIND, body), 'member');
  await checkDomain(db, accountId, fields.email);
  return createScimUser(db, accountId, fields, { ...audit, details: { userName: fields.email } });
}

export async function getUser(db: Db, accountId: string, id: string): Promise<ScimUserItem> {
  const item = await getUserItem(db, accountId, id);
  if (!item) throw new NotFound(`No user with id ${id}`);
  return item;
}

/**
 * Read, change, write conditionally on the version read; on a concurrent change re-read and re-apply (so no update is
 * lost), unless the client pinned a version with If-Match, in which case it gets 412.
 */
async function update(
  db: Db,
  accountId: string,
  id: string,
  headers: Record<string, string>,
  change: (current: ScimUserItem) => ScimObject,
  audit: AuditEvent,
): Promise<ScimUserItem> {
  return retryOnConflict(headers, 'user', async () => {
    const current = await getUser(db, accountId, id);
    checkIfMatch(headers, current.version);
    const next = toFields(change(current), current.role);
    if (next.email.toLowerCase() !== current.emailLower) await checkDomain(db, accountId, next.email);
    return replaceScimUser(db, current, next, audit);
  });
}

export function replaceUser(db: Db, accountId: string, id: string, body: unknown, headers: Record<string, string>, audit: AuditEvent) {
  const replacement = canonicalise(USER_KIND, body);
  return update(db, accountId, id, headers, () => replacement, audit);
}

export function patchUser(
  db: Db,
  accountId: string,
  id: string,
  operations: PatchOperation[],
  headers: Record<string, string>,
  audit: AuditEvent,
) {
  return update(db, accountId, id, headers, (current) => applyPatch(USER_KIND, canonicalUser(current), operations), {
    ...audit,
    details: { operations: operations.map((o) => `${o.op} ${o.path ?? '(value)'}`).slice(0, 20) },
  });
}

export async function deleteUser(db: Db, accountId: string, id: string, headers: Record<string, string>, audit: AuditEvent) {
  const current = await getUser(db, accountId, id);
  checkIfMatch(headers, current.version);
  const memberships = await membershipKeysOfUser(db, accountId, id);
  await deleteScimUser(db, current, memberships, audit);
}

async function candidatesByKey(db: Db, accountId: string, lookup: NonNullable<ReturnType<typeof planLookup>>) {
  // No user has an empty userName or externalId (both are dropped or refused on write), and DynamoDB refuses empty keys.
  if (lookup.value === '' || (lookup.attribute === 'userName' && lookup.value.trim() === '')) return [];
  switch (lookup.attribute) {
    case 'id': {
      const item = await getUserItem(db, accountId, lookup.value);
      return item ? [item] : [];
    }
    case 'userName': {
      const item = await getUserItemByEmail(db, accountId, lookup.value);
      return item ? [item] : [];
    }
    case 'externalId':
      return getUserItemsByExternalId(db, accountId, lookup.value);
    default:
      return [];
  }
}

/** Every person of the account, page by page (Query, never Scan), up to MAX_IN_MEMORY; more is a 400 tooMany. */
async function allUsers(db: Db, accountId: string): Promise<UserItem[]> {
  const items: UserItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await listUserItemsPage(db, accountId, { limit: 1000, startKey });
    items.push(...page.items);
    startKey = page.lastKey;
    if (items.length > MAX_IN_MEMORY) {
      throw tooMany(
        `This filter or sort would read more than ${MAX_IN_MEMORY} users; filter on userName, externalId or id (indexed) ` +
          'or page without a filter',
      );
    }
  } while (startKey);
  return items;
}

/** GET /Users: key lookups where the filter allows, otherwise bounded in-memory filtering; see README "SCIM 2.0". */
export async function listUsers(db: Db, accountId: string, query: ListQuery): Promise<ScimObject> {
  const pk = accountPk(accountId);
  const cursorMode = query.cursor !== undefined;
  const cursor = decodeScimCursor(query.cursor, pk);
  const view = (item: UserItem) => project(USER_KIND, renderUser(item), query);

  if (!query.filter && !query.sortBy && !(cursor && 'o' in cursor)) {
    const account = await getAccount(db, accountId);
    const totalResults = account?.userCount ?? 0;
    if (query.count === 0) return listResponse([], totalResults, cursorMode ? {} : { startIndex: query.startIndex });
    let startKey: Record<string, unknown> | undefined = cursor && 'k' in cursor ? cursor.k : undefined;
    // Index pagination skips startIndex-1 users by reading keys only; cursors (RFC 9865) cost one page.
    let skip = cursorMode ? 0 : query.startIndex - 1;
    while (skip > 0) {
      const page = await listUserItemsPage(db, accountId, { limit: Math.min(skip, 1000), startKey, keysOnly: true });
      skip -= page.items.length;
      startKey = page.lastKey;
      if (!startKey) return listResponse([], totalResults, { startIndex: query.startIndex });
    }
    const page = await listUserItemsPage(db, accountId, { limit: query.count + 1, startKey });
    const items = page.items.slice(0, query.count);
    const more = page.items.length > query.count;
    const last = items[items.length - 1];
    return listResponse(items.map(view), totalResults, {
      ...(cursorMode ? {} : { startIndex: query.startIndex }),
      ...(cursorMode && more && last ? { nextCursor: encodeScimCursor({ k: { pk: last.pk, sk: last.sk } }) } : {}),
    });
  }

  // A key cursor belongs to the unfiltered walk; with a filter or sort it would silently restart the list.
  if (cursor && 'k' in cursor) throw new ScimError(400, 'invalidCursor', 'The cursor is not valid for this filter or sort');
  const lookup = query.filter ? planLookup(USER_KIND, query.filter) : undefined;
  const candidates = lookup ? await candidatesByKey(db, accountId, lookup) : await allUsers(db, accountId);
  let resources = candidates.map(renderUser);
  if (query.filter) resources = resources.filter((r) => matches(USER_KIND, query.filter!, r));
  if (query.sortBy) resources = sortResources(USER_KIND, resources, query.sortBy, query.descending);
  const offset = cursorMode ? (cursor && 'o' in cursor ? cursor.o : 0) : query.startIndex - 1;
  const page = resources.slice(offset, offset + query.count);
  const end = offset + page.length;
  return listResponse(
    page.map((r) => project(USER_KIND, r, query)),
    resources.length,
    {
      ...(cursorMode ? {} : { startIndex: query.startIndex }),
      ...(cursorMode && end < resources.length && query.count > 0 ? { nextCursor: encodeScimCursor({ o: end }) } : {}),
    },
  );
}
