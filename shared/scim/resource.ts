// Canonical SCIM resources: whatever case and shape a client sends, a resource is kept with the schema's attribute names,
// extension attributes under their schema URN, read-only and unknown attributes dropped, booleans coerced from the
// strings Entra sends ("False"). Attribute paths (filters, PATCH, attributes=, sortBy) resolve against the same schemas.
import { invalidPath, invalidValue } from './errors.ts';
import {
  COMMON_ATTRIBUTES,
  findAttribute,
  findExtension,
  type Attribute,
  type ResourceKind,
  type SchemaDefinition,
} from './schema.ts';

export type ScimObject = Record<string, unknown>;

/** A resolved attribute path: `urn` is set for extension attributes; `sub` for `name.givenName`-style paths. */
export interface AttributePath {
  urn?: string;
  attribute: Attribute;
  sub?: Attribute;
}

const isObject = (value: unknown): value is ScimObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function schemaFor(kind: ResourceKind, urn: string | undefined): SchemaDefinition {
  return urn ? (findExtension(kind, urn) as SchemaDefinition) : kind.core;
}

/**
 * Splits an optional schema URN prefix off a path: `urn:…:enterprise:2.0:User:manager.value` →
 * [`urn:…:enterprise:2.0:User`, `manager.value`]. A path that is exactly a URN gives an empty rest.
 */
export function splitUrn(kind: ResourceKind, path: string): { urn?: string; rest: string } {
  if (!path.toLowerCase().startsWith('urn:')) return { rest: path };
  const lower = path.toLowerCase();
  const schemas = [kind.core, ...kind.extensions].sort((a, b) => b.id.length - a.id.length);
  for (const schema of schemas) {
    const id = schema.id.toLowerCase();
    if (lower === id) return { urn: schema === kind.core ? undefined : schema.id, rest: '' };
    if (lower.startsWith(`${id}:`)) return { urn: schema === kind.core ? undefined : schema.id, rest: path.slice(id.length + 1) };
  }
  throw invalidPath(`Unknown schema in attribute path "${path}"`);
}

/** Resolves `name.givenName`, `emails.value`, `urn:…:User:manager.value` (any case) to schema attributes, or undefined. */
export function findPath(kind: ResourceKind, path: string): AttributePath | undefined {
  const { urn, rest } = splitUrn(kind, path);
  const [name = '', subName, ...extra] = rest.split('.');
  if (extra.length > 0) return undefined;
  const schema = schemaFor(kind, urn);
  let owner = urn;
  let attribute = findAttribute(schema.attributes, name) ?? (urn ? undefined : findAttribute(COMMON_ATTRIBUTES, name));
  if (!attribute && !urn) {
    // Entra sends `manager` unqualified: an attribute no core attribute shadows resolves to its extension.
    for (const extension of kind.extensions) {
      attribute = findAttribute(extension.attributes, name);
      if (attribute) {
        owner = extension.id;
        break;
      }
    }
  }
  if (!attribute) return undefined;
  if (subName === undefined) return { urn: owner, attribute };
  const sub = findAttribute(attribute.subAttributes ?? [], subName);
  return sub ? { urn: owner, attribute, sub } : undefined;
}

export function resolvePath(kind: ResourceKind, path: string): AttributePath {
  const found = findPath(kind, path);
  if (!found) throw invalidPath(`Unknown attribute "${path}"`);
  return found;
}

export const pathName = (p: AttributePath): string =>
  `${p.urn ? `${p.urn}:` : ''}${p.attribute.name}${p.sub ? `.${p.sub.name}` : ''}`;

/** Coerces one simple value to the attribute's type, or throws invalidValue naming the attribute. */
export function coerceSimple(attribute: Attribute, value: unknown, where: string): unknown {
  switch (attribute.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
      throw invalidValue(`${where} must be true or false`);
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw invalidValue(`${where} must be an integer`);
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw invalidValue(`${where} must be a string`);
  }
}

function canonicalComplex(attribute: Attribute, value: unknown, where: string): ScimObject | undefined {
  if (!isObject(value)) throw invalidValue(`${where} must be an object`);
  const out: ScimObject = {};
  for (const [key, raw] of Object.entries(value)) {
    if (raw === null || raw === undefined) continue;
    const sub = findAttribute(attribute.subAttributes ?? [], key);
    if (!sub || sub.mutability === 'readOnly') continue;
    out[sub.name] = coerceSimple(sub, raw, `${where}.${sub.name}`);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * A single-valued complex attribute given as a one-element list or as a bare id (Entra's two `manager` forms) is read
 * as that element, or as `{value: id}`.
 */
export function singleComplex(attribute: Attribute, value: unknown): unknown {
  const first = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof first === 'string' && findAttribute(attribute.subAttributes ?? [], 'value')) return { value: first };
  return first;
}

/** One attribute's value in canonical form; undefined means "unassigned" (null, empty list, empty object). */
export function canonicalValue(attribute: Attribute, value: unknown, where = attribute.name): unknown {
  if (value === null || value === undefined) return undefined;
  if (attribute.multiValued) {
    const list = Array.isArray(value) ? value : [value];
    const items = list
      .filter((item) => item !== null && item !== undefined)
      .map((item) =>
        attribute.type === 'complex' ? canonicalComplex(attribute, item, where) : coerceSimple(attribute, item, where),
      )
      .filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (attribute.type === 'complex') return canonicalComplex(attribute, singleComplex(attribute, value), where);
  return coerceSimple(attribute, value, where);
}

function canonicalAttributes(schema: SchemaDefinition, input: ScimObject, out: ScimObject, where: string): void {
  for (const [key, raw] of Object.entries(input)) {
    const attribute = findAttribute(schema.attributes, key);
    if (!attribute || attribute.mutability === 'readOnly') continue;
    const value = canonicalValue(attribute, raw, `${where}${attribute.name}`);
    if (value !== undefined) out[attribute.name] = value;
  }
}

/**
 * The canonical form of a resource body (POST, PUT, or the result of a PATCH): known attributes only, canonical names,
 * extension attributes under their URN. `id`, `meta`, `schemas`, `password` and `groups` are ignored, as RFC 7644 §3.3
 * allows, because Okta sends them back on every PUT.
 */
export function canonicalise(kind: ResourceKind, input: unknown): ScimObject {
  if (!isObject(input)) throw invalidValue('The body must be a JSON object');
  const out: ScimObject = {};
  const extensions = new Map(kind.extensions.map((s) => [s.id.toLowerCase(), s]));
  for (const [key, raw] of Object.entries(input)) {
    const extension = extensions.get(key.toLowerCase());
    if (!extension) continue;
    if (raw === null || raw === undefined) continue;
    if (!isObject(raw)) throw invalidValue(`${extension.id} must be an object`);
    const inner: ScimObject = {};
    canonicalAttributes(extension, raw, inner, `${extension.id}:`);
    if (Object.keys(inner).length > 0) out[extension.id] = inner;
  }
  const externalId = Object.entries(input).find(([key]) => key.toLowerCase() === 'externalid')?.[1];
  if (externalId !== undefined && externalId !== null) {
    out.externalId = coerceSimple(findAttribute(COMMON_ATTRIBUTES, 'externalId') as Attribute, externalId, 'externalId');
  }
  canonicalAttributes(kind.core, input, out, '');
  return out;
}

/** Reads an attribute (and sub-attribute) of a canonical resource; multi-valued complex sub-attributes give a list. */
export function readPath(resource: ScimObject, path: AttributePath): unknown {
  const container = path.urn ? resource[path.urn] : resource;
  if (!isObject(container)) return undefined;
  const value = container[path.attribute.name];
  if (!path.sub) return value;
  if (Array.isArray(value)) return value.filter(isObject).map((item) => item[path.sub!.name]).filter((v) => v !== undefined);
  return isObject(value) ? value[path.sub.name] : undefined;
}

interface Projection {
  attributes?: string;
  excludedAttributes?: string;
}

const ALWAYS = new Set(['id', 'schemas']);

/**
 * Applies `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5) to a rendered resource. `id` and `schemas` are always
 * returned; unknown names are ignored rather than refused, as IdPs send names we may not have.
 */
export function project(kind: ResourceKind, resource: ScimObject, query: Projection): ScimObject {
  const parse = (list: string | undefined) =>
    (list ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((name) => {
        try {
          return findPath(kind, name);
        } catch {
          return undefined;
        }
      })
      .filter((p): p is AttributePath => p !== undefined);
  const wanted = parse(query.attributes);
  if (wanted.length > 0) {
    const out: ScimObject = {};
    for (const key of Object.keys(resource)) if (ALWAYS.has(key)) out[key] = resource[key];
    for (const p of wanted) {
      const source = p.urn ? resource[p.urn] : resource;
      if (!isObject(source) || source[p.attribute.name] === undefined) continue;
      const target = p.urn ? ((out[p.urn] as ScimObject | undefined) ?? (out[p.urn] = {})) : out;
      const value = source[p.attribute.name];
      if (!p.sub) target[p.attribute.name] = value;
      else if (Array.isArray(value)) {
        target[p.attribute.name] = value.filter(isObject).map((item) => ({
          ...((target[p.attribute.name] as ScimObject[] | undefined)?.[value.indexOf(item)] ?? {}),
          ...(item[p.sub!.name] !== undefined ? { [p.sub!.name]: item[p.sub!.name] } : {}),
        }));
      } else if (isObject(value) && value[p.sub.name] !== undefined) {
        target[p.attribute.name] = { ...((target[p.attribute.name] as ScimObject | undefined) ?? {}), [p.sub.name]: value[p.sub.name] };
      }
    }
    return out;
  }
  const excluded = parse(query.excludedAttributes);
  if (excluded.length === 0) return resource;
  const out: ScimObject = structuredClone(resource);
  for (const p of excluded) {
    if (p.attribute.name === 'id') continue;
    const target = p.urn ? out[p.urn] : out;
    if (!isObject(target)) continue;
    if (!p.sub) delete target[p.attribute.name];
    else {
      const value = target[p.attribute.name];
      for (const item of Array.isArray(value) ? value : [value]) if (isObject(item)) delete item[p.sub.name];
    }
  }
  return out;
}
