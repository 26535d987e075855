// SCIM PATCH (RFC 7644 §3.5.2) on a canonical resource, accepting what Okta and Entra really send (INTEROP.md): op names
// in any case, path-less add/replace whose value keys are paths (dotted or URN-qualified), `id` inside such a value
// ignored, filtered paths that create the element they name (`emails[type eq "work"].value`), Entra's `manager` forms,
// and `remove` of `members` with a value list. Pure: the caller reads, applies, re-validates and writes conditionally.
import { invalidSyntax, invalidValue, mutability, noTarget, invalidPath } from './errors.ts';
import { matchesElement, parseFilter, type Filter } from './filter.ts';
import { canonicalise, findPath, singleComplex, splitUrn, type AttributePath, type ScimObject } from './resource.ts';
import { PATCH_OP, findExtension, type ResourceKind } from './schema.ts';

export type PatchOpName = 'add' | 'replace' | 'remove';

export interface PatchOperation {
  op: PatchOpName;
  path?: string;
  value?: unknown;
}

export const MAX_PATCH_OPERATIONS = 1000;
const IGNORED_IN_VALUE = new Set(['id', 'meta', 'schemas', 'password', 'groups']);

const isObject = (value: unknown): value is ScimObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates a PatchOp body and returns its operations with lower-cased op names. */
export function parsePatchBody(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw invalidSyntax('The body must be a PatchOp object');
  const schemas = Object.entries(body).find(([k]) => k.toLowerCase() === 'schemas')?.[1];
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.some((s) => String(s).toLowerCase() === PATCH_OP.toLowerCase()))) {
    throw invalidSyntax(`schemas must contain ${PATCH_OP}`);
  }
  const operations = Object.entries(body).find(([k]) => k.toLowerCase() === 'operations')?.[1];
  if (!Array.isArray(operations)) throw invalidSyntax('Operations must be an array of operations');
  if (operations.length === 0) throw invalidValue('Operations is empty: give at least one operation');
  if (operations.length > MAX_PATCH_OPERATIONS) throw invalidValue(`At most ${MAX_PATCH_OPERATIONS} operations per request`);
  return operations.map((raw, i) => {
    if (!isObject(raw)) throw invalidSyntax(`Operations[${i}] must be an object`);
    const field = (name: string) => Object.entries(raw).find(([k]) => k.toLowerCase() === name)?.[1];
    const op = String(field('op') ?? '').toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      throw invalidSyntax(`Operations[${i}].op must be add, replace or remove`);
    }
    const path = field('path');
    if (path !== undefined && path !== null && (typeof path !== 'string' || path.trim() === '')) {
      throw invalidPath(`Operations[${i}].path must be a non-empty string`);
    }
    const value = field('value');
    if (op !== 'remove' && value === undefined) throw invalidValue(`Operations[${i}] (${op}) needs a value`);
    return { op, ...(typeof path === 'string' ? { path: path.trim() } : {}), ...(value !== undefined ? { value } : {}) };
  });
}

interface Target {
  path: AttributePath;
  filter?: Filter;
  /** The sub-attribute after a filter: `emails[type eq "work"].value`. */
  subAfterFilter?: string;
}

type Resolved = { kind: 'extension'; urn: string } | { kind: 'attribute'; target: Target };

function resolveTarget(kind: ResourceKind, raw: string): Resolved {
  const bracket = raw.indexOf('[');
  if (bracket < 0) {
    const { urn, rest } = splitUrn(kind, raw);
    if (rest === '' && urn && findExtension(kind, urn)) return { kind: 'extension', urn };
    const path = findPath(kind, raw);
    if (!path) throw invalidPath(`Unknown attribute "${raw}"`);
    return { kind: 'attribute', target: { path } };
  }
  const close = raw.lastIndexOf(']');
  if (close < bracket) throw invalidPath(`Unbalanced brackets in "${raw}"`);
  const path = findPath(kind, raw.slice(0, bracket));
  if (!path || path.sub || path.attribute.type !== 'complex' || !path.attribute.multiValued) {
    throw invalidPath(`"${raw.slice(0, bracket)}" is not a multi-valued attribute that a filter can select from`);
  }
  let filter: Filter;
  try {
    filter = parseFilter(raw.slice(bracket + 1, close));
  } catch (error) {
    throw invalidPath(`Bad filter in path "${raw}": ${(error as Error).message}`);
  }
  const after = raw.slice(close + 1);
  if (after !== '' && !/^\.[A-Za-z$][\w$]*$/.test(after)) throw invalidPath(`Unexpected "${after}" in path "${raw}"`);
  const subName = after.slice(1);
  if (subName && !path.attribute.subAttributes?.some((s) => s.name.toLowerCase() === subName.toLowerCase())) {
    throw invalidPath(`${path.attribute.name} has no sub-attribute ${subName}`);
  }
  const sub = path.attribute.subAttributes?.find((s) => s.name.toLowerCase() === subName.toLowerCase());
  return { kind: 'attribute', target: { path, filter, ...(sub ? { subAfterFilter: sub.name } : {}) } };
}

function checkMutable(target: Target, raw: string): void {
  const a = target.path.attribute;
  const sub = target.path.sub;
  if (a.mutability === 'readOnly' || sub?.mutability === 'readOnly' || a.name === 'id' || a.name === 'meta') {
    throw mutability(`${raw} is read-only`);
  }
}

function containerFor(resource: ScimObject, urn: string | undefined, create: boolean): ScimObject | undefined {
  if (!urn) return resource;
  const existing = resource[urn];
  if (isObject(existing)) return existing;
  if (!create) return undefined;
  const fresh: ScimObject = {};
  resource[urn] = fresh;
  return fresh;
}

const sameValue = (a: unknown, b: unknown): boolean => {
  if (isObject(a) && isObject(b) && a.value !== undefined && b.value !== undefined) return String(a.value) === String(b.value);
  return JSON.stringify(a) === JSON.stringify(b);
};

/** The attribute-value pairs an `eq`-only filter pins, so a missing element can be created (Entra's `emails[type eq "work"]`). */
function pinnedValues(filter: Filter): ScimObject | undefined {
  if (filter.op === 'eq' && !filter.path.includes('.')) return { [filter.path]: filter.value };
  if (filter.op === 'and') {
    const left = pinnedValues(filter.left);
    const right = pinnedValues(filter.right);
    return left && right ? { ...left, ...right } : undefined;
  }
  return undefined;
}

function canonicalKeys(target: Target, element: ScimObject): ScimObject {
  const out: ScimObject = {};
  for (const [key, value] of Object.entries(element)) {
    const sub = target.path.attribute.subAttributes?.find((s) => s.name.toLowerCase() === key.toLowerCase());
    out[sub ? sub.name : key] = value;
  }
  return out;
}

function applyToAttribute(kind: ResourceKind, resource: ScimObject, op: PatchOpName, target: Target, value: unknown, raw: string): void {
  checkMutable(target, raw);
  const { urn, attribute, sub } = target.path;
  const container = containerFor(resource, urn, op !== 'remove');
  if (!container) return;
  const name = attribute.name;

  if (target.filter) {
    const filter = target.filter;
    const list = Array.isArray(container[name]) ? (container[name] as unknown[]) : [];
    const matched = list.filter((element) => matchesElement(kind, attribute, filter, element));
    if (op === 'remove') {
      if (target.subAfterFilter) {
        for (const element of matched) if (isObject(element)) delete element[target.subAfterFilter];
      } else {
        container[name] = list.filter((element) => !matched.includes(element));
      }
      return;
    }
    if (matched.length === 0) {
      const pinned = pinnedValues(filter);
      if (!pinned) throw noTarget(`No element of ${name} matches ${raw}`);
      const created = canonicalKeys(target, pinned);
      if (target.subAfterFilter) created[target.subAfterFilter] = value;
      else if (isObject(value)) Object.assign(created, canonicalKeys(target, value));
      else throw invalidValue(`${raw} needs an object value`);
      container[name] = [...list, created];
      return;
    }
    for (const element of matched) {
      if (!isObject(element)) continue;
      if (target.subAfterFilter) element[target.subAfterFilter] = value;
      else if (isObject(value)) {
        if (op === 'replace') for (const key of Object.keys(element)) delete element[key];
        Object.assign(element, canonicalKeys(target, value));
      } else throw invalidValue(`${raw} needs an object value`);
    }
    return;
  }

  if (op === 'remove') {
    if (sub) {
      const current = container[name];
      for (const element of Array.isArray(current) ? current : [current]) if (isObject(element)) delete element[sub.name];
      return;
    }
    if (attribute.multiValued && value !== undefined && value !== null) {
      // Entra: {"op":"Remove","path":"members","value":[{"value":"id"}]} removes those members only.
      const removals = Array.isArray(value) ? value : [value];
      const list = Array.isArray(container[name]) ? (container[name] as unknown[]) : [];
      container[name] = list.filter((element) => !removals.some((r) => sameValue(element, r)));
      return;
    }
    delete container[name];
    return;
  }

  if (sub) {
    const current = container[name];
    if (Array.isArray(current)) {
      if (current.length === 0) container[name] = [{ [sub.name]: value }];
      else for (const element of current) if (isObject(element)) element[sub.name] = value;
    } else {
      container[name] = { ...(isObject(current) ? current : {}), [sub.name]: value };
    }
    return;
  }

  if (attribute.multiValued) {
    const values = (Array.isArray(value) ? value : [value]).map((v) => (isObject(v) ? canonicalKeys(target, v) : v));
    if (op === 'replace') {
      container[name] = values;
      return;
    }
    const list = Array.isArray(container[name]) ? [...(container[name] as unknown[])] : [];
    for (const v of values) if (!list.some((existing) => sameValue(existing, v))) list.push(v);
    container[name] = list;
    return;
  }

  if (attribute.type === 'complex') {
    const single = singleComplex(attribute, value);
    if (value === null) {
      delete container[name];
      return;
    }
    if (!isObject(single)) throw invalidValue(`${raw} needs an object value`);
    const current = container[name];
    container[name] = { ...(isObject(current) ? current : {}), ...canonicalKeys(target, single) };
    return;
  }

  if (value === null) delete container[name];
  else container[name] = value;
}

function applyOperation(kind: ResourceKind, resource: ScimObject, operation: PatchOperation): void {
  const { op, path, value } = operation;
  if (path === undefined) {
    if (op === 'remove') throw noTarget('remove needs a path');
    if (!isObject(value)) throw invalidValue(`${op} without a path needs an object value`);
    for (const [key, inner] of Object.entries(value)) {
      if (IGNORED_IN_VALUE.has(key.toLowerCase())) continue;
      const resolved = resolveSafely(kind, key);
      // Path-less values may carry attributes we do not keep (Okta custom attributes): they are ignored, like on POST.
      if (!resolved) continue;
      applyResolved(kind, resource, op, resolved, inner, key);
    }
    return;
  }
  applyResolved(kind, resource, op, resolveTarget(kind, path), value, path);
}

function resolveSafely(kind: ResourceKind, key: string): Resolved | undefined {
  try {
    return resolveTarget(kind, key);
  } catch {
    return undefined;
  }
}

function applyResolved(kind: ResourceKind, resource: ScimObject, op: PatchOpName, resolved: Resolved, value: unknown, raw: string): void {
  if (resolved.kind === 'extension') {
    if (op === 'remove') {
      delete resource[resolved.urn];
      return;
    }
    if (!isObject(value)) throw invalidValue(`${raw} needs an object value`);
    for (const [key, inner] of Object.entries(value)) {
      const target = resolveSafely(kind, `${resolved.urn}:${key}`);
      if (target) applyResolved(kind, resource, op, target, inner, `${resolved.urn}:${key}`);
    }
    return;
  }
  applyToAttribute(kind, resource, op, resolved.target, value, raw);
}

/** Applies the operations in order to a copy of the canonical resource and returns it canonicalised (types checked). */
export function applyPatch(kind: ResourceKind, resource: ScimObject, operations: readonly PatchOperation[]): ScimObject {
  const working = structuredClone(resource);
  for (const operation of operations) applyOperation(kind, working, operation);
  return canonicalise(kind, working);
}
