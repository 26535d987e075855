// Fields every item carries, and small helpers shared by the repositories.
import { BadRequest } from '../http/errors.ts';
import type { EntityType, ItemKey } from './keys.ts';

export interface BaseItem extends ItemKey {
  entity: EntityType;
  /** Incremented on every write; conditional writes on it mean no update is lost or applied twice. */
  version: number;
  createdAt: string;
  updatedAt: string;
  ttl?: number;
}

/** Removes the table's key and bookkeeping attributes before an item leaves the data layer. */
export function stripKeys<T extends object>(item: T): Omit<T, 'pk' | 'sk' | 'gsi1pk' | 'gsi1sk' | 'gsi2pk' | 'gsi2sk' | 'entity' | 'ttl'> {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, entity: _e, ttl: _t, ...rest } =
    item as Record<string, unknown>;
  return rest as Omit<T, 'pk' | 'sk' | 'gsi1pk' | 'gsi1sk' | 'gsi2pk' | 'gsi2sk' | 'entity' | 'ttl'>;
}

/** Opaque page cursors: the LastEvaluatedKey, base64url-encoded. Decoding checks it belongs to the expected partition. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

/** Returns the key a cursor names, or throws 400 (`invalidCursor`, RFC 9865) for one that is not ours or not for this list. */
export function decodeCursor(cursor: string | undefined, expectedPk: string, pkAttribute = 'pk'): Record<string, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = new BadRequest('The cursor is not valid for this list', 'invalid_cursor', 'invalidCursor');
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid;
  const record = key as Record<string, unknown>;
  if (record[pkAttribute] !== expectedPk || !Object.values(record).every((v) => typeof v === 'string')) throw invalid;
  return record as Record<string, string>;
}
