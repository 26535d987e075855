// SCIM filters (RFC 7644 §3.4.2.2): parser, in-memory evaluation, and the key-lookup plan. Hand-written rather than
// scim2-parse-filter because that library throws on forms Entra sends (unquoted values, `+` for spaces) and splits
// `emails[type eq "work"].value eq "x"` into two independent conditions; the planner needs the tree anyway.
// Attribute names and operators are case-insensitive.
import { invalidFilter } from './errors.ts';
import { findPath, readPath, type ScimObject } from './resource.ts';
import { findAttribute, type Attribute, type ResourceKind } from './schema.ts';

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type Literal = string | number | boolean | null;

export type Filter =
  | { op: 'and' | 'or'; left: Filter; right: Filter }
  | { op: 'not'; filter: Filter }
  | { op: 'pr'; path: string }
  | { op: CompareOp; path: string; value: Literal }
  /** `emails[type eq "work"]`: some element of `path` matches `filter` (whose paths name sub-attributes). */
  | { op: 'valuePath'; path: string; filter: Filter };

const COMPARE_OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const MAX_FILTER_LENGTH = 2000;
const MAX_DEPTH = 20;

type Token = { kind: '(' | ')' | '[' | ']' } | { kind: 'word'; text: string } | { kind: 'string'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    // `+` outside a quoted string is a space that was not decoded (Entra, some proxies); inside quotes it is kept.
    if (/\s/.test(c) || c === '+') {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ kind: c });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let escaped = false;
      for (; j < input.length; j++) {
        if (escaped) escaped = false;
        else if (input[j] === '\\') escaped = true;
        else if (input[j] === '"') break;
      }
      if (j >= input.length) throw invalidFilter('Unterminated string in filter');
      try {
        tokens.push({ kind: 'string', text: JSON.parse(input.slice(i, j + 1)) as string });
      } catch {
        throw invalidFilter('Invalid escape in a filter string');
      }
      i = j + 1;
    } else {
      let j = i;
      while (j < input.length && !/[\s()[\]"+]/.test(input[j] as string)) j++;
      // A word may continue after `]` with `.sub` (emails[type eq "work"].value): the parser joins those.
      tokens.push({ kind: 'word', text: input.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position++];
    if (!token) throw invalidFilter('The filter ends too early');
    return token;
  }

  private peekWord(): string | undefined {
    const token = this.peek();
    return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
  }

  parse(): Filter {
    const filter = this.or(0);
    if (this.peek()) throw invalidFilter(`Unexpected "${describe(this.peek() as Token)}" in filter`);
    return filter;
  }

  private or(depth: number): Filter {
    let left = this.and(depth);
    while (this.peekWord() === 'or') {
      this.position++;
      left = { op: 'or', left, right: this.and(depth) };
    }
    return left;
  }

  private and(depth: number): Filter {
    let left = this.unary(depth);
    while (this.peekWord() === 'and') {
      this.position++;
      left = { op: 'and', left, right: this.unary(depth) };
    }
    return left;
  }

  private unary(depth: number): Filter {
    if (depth > MAX_DEPTH) throw invalidFilter('The filter is nested too deeply');
    const token = this.next();
    if (token.kind === '(') {
      const inner = this.or(depth + 1);
      this.expect(')');
      return inner;
    }
    if (token.kind === 'word' && token.text.toLowerCase() === 'not') {
      this.expect('(');
      const inner = this.or(depth + 1);
      this.expect(')');
      return { op: 'not', filter: inner };
    }
    if (token.kind !== 'word') throw invalidFilter(`Expected an attribute name, found "${describe(token)}"`);
    const path = token.text;
    if (!/^[A-Za-z$][\w$:.-]*$/.test(path)) throw invalidFilter(`"${path}" is not an attribute name`);
    if (this.peek()?.kind === '[') {
      this.position++;
      const inner = this.or(depth + 1);
      this.expect(']');
      const after = this.peek();
      // Entra: `emails[type eq "work"].value eq "x"` = some element with type work and value x.
      if (after?.kind === 'word' && after.text.startsWith('.')) {
        this.position++;
        const sub = after.text.slice(1);
        return { op: 'valuePath', path, filter: { op: 'and', left: inner, right: this.comparison(sub) } };
      }
      return { op: 'valuePath', path, filter: inner };
    }
    return this.comparison(path);
  }

  private comparison(path: string): Filter {
    const opToken = this.next();
    const op = opToken.kind === 'word' ? opToken.text.toLowerCase() : '';
    if (op === 'pr') return { op: 'pr', path };
    if (!COMPARE_OPS.has(op)) throw invalidFilter(`Unknown operator "${describe(opToken)}" after ${path}`);
    const valueToken = this.next();
    return { op: op as CompareOp, path, value: literal(valueToken) };
  }

  private expect(kind: '(' | ')' | ']'): void {
    const token = this.next();
    if (token.kind !== kind) throw invalidFilter(`Expected "${kind}", found "${describe(token)}"`);
  }
}

function describe(token: Token): string {
  return token.kind === 'word' || token.kind === 'string' ? token.text : token.kind;
}

function literal(token: Token): Literal {
  if (token.kind === 'string') return token.text;
  if (token.kind !== 'word') throw invalidFilter(`Expected a value, found "${token.kind}"`);
  const lower = token.text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(token.text)) return Number(token.text);
  // Old Entra docs show `externalId eq 5e3f…` unquoted: an unquoted word is a string.
  return token.text;
}

export function parseFilter(input: string): Filter {
  if (input.length > MAX_FILTER_LENGTH) throw invalidFilter(`The filter is longer than ${MAX_FILTER_LENGTH} characters`);
  const tokens = tokenize(input);
  if (tokens.length === 0) throw invalidFilter('The filter is empty');
  return new Parser(tokens).parse();
}

// ---- evaluation ----

const isObject = (value: unknown): value is ScimObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function compareScalar(attribute: Attribute, actual: unknown, op: CompareOp, expected: Literal): boolean {
  if (expected === null) {
    if (op === 'eq') return actual === undefined || actual === null;
    if (op === 'ne') return actual !== undefined && actual !== null;
    throw invalidFilter(`null can only be compared with eq or ne`);
  }
  if (actual === undefined || actual === null) return op === 'ne';
  if (attribute.type === 'boolean' || typeof actual === 'boolean') {
    if (op !== 'eq' && op !== 'ne') throw invalidFilter(`${attribute.name} is a boolean: use eq or ne`);
    const want = typeof expected === 'string' ? expected.toLowerCase() === 'true' : expected === true;
    return (actual === want) === (op === 'eq');
  }
  if (typeof actual === 'number') {
    const want = Number(expected);
    switch (op) {
      case 'eq': return actual === want;
      case 'ne': return actual !== want;
      case 'gt': return actual > want;
      case 'ge': return actual >= want;
      case 'lt': return actual < want;
      case 'le': return actual <= want;
      default: throw invalidFilter(`${attribute.name} is a number: ${op} does not apply`);
    }
  }
  const fold = (s: string) => (attribute.caseExact ? s : s.toLowerCase());
  const a = fold(String(actual));
  const b = fold(String(expected));
  switch (op) {
    case 'eq': return a === b;
    case 'ne': return a !== b;
    case 'co': return a.includes(b);
    case 'sw': return a.startsWith(b);
    case 'ew': return a.endsWith(b);
    case 'gt': return a > b;
    case 'ge': return a >= b;
    case 'lt': return a < b;
    case 'le': return a <= b;
  }
}

/** Values of an attribute on an object, for comparison: a multi-valued complex attribute compares on its `value`s. */
function valuesOf(attribute: Attribute, sub: Attribute | undefined, raw: unknown): { attribute: Attribute; values: unknown[] } {
  if (!sub && attribute.type === 'complex') {
    const valueAttr = findAttribute(attribute.subAttributes ?? [], 'value');
    if (!valueAttr) throw invalidFilter(`${attribute.name} is complex: name a sub-attribute`);
    const items = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    return { attribute: valueAttr, values: items.filter(isObject).map((i) => i.value).filter((v) => v !== undefined) };
  }
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return { attribute: sub ?? attribute, values };
}

interface Scope {
  /** Resolve `path` in this scope: the resource, or one element of a multi-valued attribute inside a value path. */
  lookup(path: string): { attribute: Attribute; sub?: Attribute; raw: unknown } | undefined;
}

function resourceScope(kind: ResourceKind, resource: ScimObject): Scope {
  return {
    lookup(path) {
      let found;
      try {
        found = findPath(kind, path);
      } catch {
        return undefined;
      }
      if (!found) return undefined;
      return { attribute: found.attribute, sub: found.sub, raw: readPath(resource, found) };
    },
  };
}

function elementScope(parent: Attribute, element: unknown): Scope {
  return {
    lookup(path) {
      const attribute = findAttribute(parent.subAttributes ?? [], path);
      if (!attribute) return undefined;
      return { attribute, raw: isObject(element) ? element[attribute.name] : undefined };
    },
  };
}

function evaluate(kind: ResourceKind, filter: Filter, scope: Scope): boolean {
  switch (filter.op) {
    case 'and':
      return evaluate(kind, filter.left, scope) && evaluate(kind, filter.right, scope);
    case 'or':
      return evaluate(kind, filter.left, scope) || evaluate(kind, filter.right, scope);
    case 'not':
      return !evaluate(kind, filter.filter, scope);
    case 'pr': {
      const found = scope.lookup(filter.path);
      if (!found) return false;
      const raw = found.raw;
      return raw !== undefined && raw !== null && raw !== '' && !(Array.isArray(raw) && raw.length === 0);
    }
    case 'valuePath': {
      const found = scope.lookup(filter.path);
      if (!found || found.sub || found.attribute.type !== 'complex') {
        if (found) throw invalidFilter(`${filter.path} is not a complex attribute: [ ] does not apply`);
        return false;
      }
      const elements = Array.isArray(found.raw) ? found.raw : found.raw === undefined ? [] : [found.raw];
      return elements.some((element) => evaluate(kind, filter.filter, elementScope(found.attribute, element)));
    }
    default: {
      const found = scope.lookup(filter.path);
      // An attribute we do not have matches nothing (IdPs probe with attributes we may lack): empty result, not an error.
      if (!found) return filter.op === 'ne';
      const { attribute, values } = valuesOf(found.attribute, found.sub, found.raw);
      if (values.length === 0) return compareScalar(attribute, undefined, filter.op, filter.value);
      if (filter.op === 'ne') return values.every((v) => compareScalar(attribute, v, 'ne', filter.value));
      return values.some((v) => compareScalar(attribute, v, filter.op, filter.value));
    }
  }
}

/** Does this rendered resource match the filter? Throws invalidFilter for comparisons that make no sense (`active gt 1`). */
export function matches(kind: ResourceKind, filter: Filter, resource: ScimObject): boolean {
  return evaluate(kind, filter, resourceScope(kind, resource));
}

/** Does one element of a multi-valued attribute match a value filter (`members[value eq "…"]`)? */
export function matchesElement(kind: ResourceKind, parent: Attribute, filter: Filter, element: unknown): boolean {
  return evaluate(kind, filter, elementScope(parent, element));
}

/** Checks the filter's operators against the schema once, so a bad filter is a 400 even on an empty account. */
export function checkFilter(kind: ResourceKind, filter: Filter): void {
  matches(kind, filter, {});
}

export type KeyLookup = { attribute: 'id' | 'userName' | 'externalId' | 'displayName'; value: string };

/**
 * The query planner: an `eq` on a keyed attribute anywhere in the top-level AND chain becomes a key lookup (GetItem or a
 * Query on an index); the whole filter is still evaluated on what it returns.
 */
export function planLookup(kind: ResourceKind, filter: Filter): KeyLookup | undefined {
  if (filter.op === 'and') return planLookup(kind, filter.left) ?? planLookup(kind, filter.right);
  if (filter.op !== 'eq' || typeof filter.value !== 'string') return undefined;
  let found;
  try {
    found = findPath(kind, filter.path);
  } catch {
    return undefined;
  }
  if (!found || found.urn || found.sub) return undefined;
  const name = found.attribute.name;
  if (name === 'id' || name === 'externalId') return { attribute: name, value: filter.value };
  if (kind.name === 'User' && name === 'userName') return { attribute: name, value: filter.value };
  if (kind.name === 'Group' && name === 'displayName') return { attribute: name, value: filter.value };
  return undefined;
}
