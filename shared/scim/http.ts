// SCIM protocol details shared by the Users and Groups endpoints: ETags, If-Match, list query parameters, ListResponse,
// sorting and cursors (RFC 7644 §3.4.2, §3.14; RFC 9865).
import { PreconditionFailed, ServiceUnavailable, isTransactionConflict } from '../http/errors.ts';
import { ScimError, invalidValue } from './errors.ts';
import { checkFilter, parseFilter, type Filter } from './filter.ts';
import { findPath, readPath, type ScimObject } from './resource.ts';
import { LIST_RESPONSE, type ResourceKind } from './schema.ts';

export const DEFAULT_COUNT = 100;
/** Largest page we serve; a larger `count` is lowered to this (RFC 7644 §3.4.2.4 allows it). */
export const MAX_COUNT = 200;
/** Filters and sorts that no index answers read the account page by page, at most this many resources. */
export const MAX_IN_MEMORY = 10_000;

/**
 * A conflicting concurrent write makes us re-read and re-apply; after this many tries the client gets 503 +
 * Retry-After. Sized so that 50 writers on one resource all get through (each round lets at least one of them win;
 * jitter up to 400 ms spreads them so rounds have fewer contenders). On AWS the function's timeout (10 s) bounds it
 * first; membership-only PATCHes that skip the group's version are the real fix (a follow-up in the closing note).
 */
export const CONFLICT_ATTEMPTS = 100;

/** Jittered, so writers that collided do not collide again in lockstep. */
export const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(400, 10 * 2 ** attempt)));

/**
 * Optimistic concurrency for one resource: `attempt` reads, applies and writes conditionally on the version it read; a
 * lost race (PreconditionFailed, or a TransactionConflict) re-runs it after a jittered pause. A client that pinned a version with `If-Match` gets
 * its 412 instead; after CONFLICT_ATTEMPTS lost races, 503 + Retry-After.
 */
export async function retryOnConflict<T>(headers: Record<string, string>, what: string, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      // Another writer won: re-read and re-apply (unless the client pinned a version: then its 412). A transaction that
      // collided with one in flight (TransactionConflict) is retried as well: nothing was written.
      const lostRace = error instanceof PreconditionFailed && !hasIfMatch(headers);
      if (!lostRace && !isTransactionConflict(error)) throw error;
      if (n >= CONFLICT_ATTEMPTS) throw new ServiceUnavailable(`The ${what} is being changed concurrently; retry shortly`);
      await backoff(n);
    }
  }
}

export const etagOf = (version: number): string => `W/"${version}"`;

/** If-Match (RFC 7644 §3.14): `*` or any listed ETag equal to the current one (weak comparison); otherwise 412. */
export function checkIfMatch(headers: Record<string, string>, version: number): void {
  const header = headers['if-match'];
  if (header === undefined || header.trim() === '') return;
  const current = String(version);
  const tags = header.split(',').map((t) => t.trim());
  const ok = tags.some((tag) => tag === '*' || tag.replace(/^W\//, '').replace(/^"|"$/g, '') === current);
  if (!ok) throw new PreconditionFailed(`If-Match ${header} does not match the current version ${etagOf(version)}`);
}

/** Did the client pin a version? Then a concurrent change is its 412, not a silent re-read and retry. */
export function hasIfMatch(headers: Record<string, string>): boolean {
  const header = headers['if-match'];
  return header !== undefined && header.trim() !== '' && header.trim() !== '*';
}

export interface ListQuery {
  filter?: Filter;
  startIndex: number;
  count: number;
  /** RFC 9865: present (possibly empty) means cursor pagination. */
  cursor?: string;
  sortBy?: string;
  descending: boolean;
  attributes?: string;
  excludedAttributes?: string;
}

function param(query: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.entries(query).find(([k]) => k.toLowerCase() === lower)?.[1];
}

function whole(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^-?\d+$/.test(value.trim())) throw invalidValue(`${name} must be an integer`);
  return Number(value.trim());
}

/** Reads the list parameters (names case-insensitive); a negative count is 0 and a startIndex below 1 is 1 (§3.4.2.4). */
export function parseListQuery(kind: ResourceKind, query: Record<string, string>): ListQuery {
  const rawFilter = param(query, 'filter');
  const filter = rawFilter !== undefined && rawFilter.trim() !== '' ? parseFilter(rawFilter) : undefined;
  if (filter) checkFilter(kind, filter);
  const cursor = param(query, 'cursor');
  const rawStart = param(query, 'startIndex');
  if (cursor !== undefined && rawStart !== undefined) throw invalidValue('Use either cursor or startIndex, not both');
  const sortBy = param(query, 'sortBy');
  if (sortBy && !findPath(kind, sortBy)) throw invalidValue(`Cannot sort by unknown attribute ${sortBy}`);
  const sortOrder = (param(query, 'sortOrder') ?? 'ascending').toLowerCase();
  if (sortOrder !== 'ascending' && sortOrder !== 'descending') throw invalidValue('sortOrder must be ascending or descending');
  return {
    filter,
    startIndex: Math.max(1, whole(rawStart, 'startIndex', 1)),
    count: Math.min(MAX_COUNT, Math.max(0, whole(param(query, 'count'), 'count', DEFAULT_COUNT))),
    cursor,
    sortBy: sortBy || undefined,
    descending: sortOrder === 'descending',
    attributes: param(query, 'attributes'),
    excludedAttributes: param(query, 'excludedAttributes'),
  };
}

/** Cursors are opaque to clients: a table key (`k`) for key-ordered walks, or an offset (`o`) into an in-memory result. */
export type Cursor = { k: Record<string, string> } | { o: number };

export function encodeScimCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

const invalidCursor = (): ScimError => new ScimError(400, 'invalidCursor', 'The cursor is not valid for this list');

export function decodeScimCursor(value: string | undefined, expectedPk: string): Cursor | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidCursor();
  const record = parsed as Record<string, unknown>;
  if (typeof record.o === 'number' && Number.isInteger(record.o) && record.o >= 0) return { o: record.o };
  const key = record.k as Record<string, unknown> | undefined;
  if (
    typeof key === 'object' && key !== null && key.pk === expectedPk &&
    Object.values(key).every((v) => typeof v === 'string') && Object.keys(key).length <= 6
  ) {
    return { k: key as Record<string, string> };
  }
  throw invalidCursor();
}

function sortValue(kind: ResourceKind, resource: ScimObject, sortBy: string): string | number | boolean | undefined {
  const path = findPath(kind, sortBy);
  if (!path) return undefined;
  let value = readPath(resource, path);
  if (Array.isArray(value)) {
    const primary = value.find((v) => typeof v === 'object' && v !== null && (v as ScimObject).primary === true);
    value = primary ?? value[0];
    if (typeof value === 'object' && value !== null) value = (value as ScimObject).value;
  }
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined;
}

/** Sorts rendered resources (§3.4.2.3): missing values last in either order; ties keep id order. */
export function sortResources(kind: ResourceKind, resources: ScimObject[], sortBy: string, descending: boolean): ScimObject[] {
  const keyed = resources.map((r) => ({ r, v: sortValue(kind, r, sortBy) }));
  keyed.sort((a, b) => {
    if (a.v === undefined && b.v === undefined) return 0;
    if (a.v === undefined) return 1;
    if (b.v === undefined) return -1;
    const order = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
    return descending ? -order : order;
  });
  return keyed.map((k) => k.r);
}

export function listResponse(
  resources: ScimObject[],
  totalResults: number,
  page: { startIndex?: number; nextCursor?: string },
): ScimObject {
  return {
    schemas: [LIST_RESPONSE],
    totalResults,
    itemsPerPage: resources.length,
    ...(page.startIndex !== undefined ? { startIndex: page.startIndex } : {}),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    Resources: resources,
  };
}
