// Defensive XML parsing for everything SAML that comes from outside (responses, IdP metadata): no DTDs, no entities,
// UTF-8 only, bounded size and depth, and a parser that fails on malformed input instead of repairing it.
import { DOMParser } from '@xmldom/xmldom';

export const SAML_NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

export const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

export class UnsafeXml extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnsafeXml';
  }
}

const MAX_DEPTH = 32;

/** Parses untrusted XML or throws UnsafeXml. `maxBytes` bounds the work before the parser sees anything. */
export function parseUntrustedXml(xml: string, maxBytes: number): Document {
  if (Buffer.byteLength(xml, 'utf8') > maxBytes) throw new UnsafeXml('too_large');
  // DTDs carry entity definitions (billion laughs, external entities): SAML never needs one, so any is refused.
  if (/<!DOCTYPE|<!ENTITY|<!ELEMENT|<!ATTLIST/i.test(xml)) throw new UnsafeXml('dtd');
  const declaration = /^\uFEFF?<\?xml[^>]*\?>/.exec(xml)?.[0];
  const encoding = declaration ? /encoding\s*=\s*["']([^"']+)["']/i.exec(declaration)?.[1] : undefined;
  if (encoding && !/^utf-?8$/i.test(encoding)) throw new UnsafeXml('encoding');
  let failure: string | undefined;
  const record = (): void => {
    failure ??= 'malformed';
  };
  const doc = new DOMParser({ errorHandler: { warning: record, error: record, fatalError: record } }).parseFromString(
    xml,
    'text/xml',
  ) as unknown as Document;
  if (failure || !doc?.documentElement) throw new UnsafeXml('malformed');
  if (depthOf(doc.documentElement) > MAX_DEPTH) throw new UnsafeXml('too_deep');
  return doc;
}

function depthOf(root: Element): number {
  let max = 0;
  const stack: [Node, number][] = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop() as [Node, number];
    if (depth > max) max = depth;
    if (max > MAX_DEPTH) return max;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 1) stack.push([child, depth + 1]);
    }
  }
  return max;
}

/** Element children of `parent` with this namespace and local name (direct children only). */
export function childElements(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 1 && (child as Element).namespaceURI === ns && (child as Element).localName === localName) {
      out.push(child as Element);
    }
  }
  return out;
}

export function descendants(root: Document | Element, ns: string, localName: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(ns, localName) as unknown as ArrayLike<Element>);
}

/** True when the subtree holds a comment or processing instruction (comment injection splits text nodes). */
export function hasCommentOrPi(root: Node): boolean {
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop() as Node;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 8 || child.nodeType === 7) return true;
      if (child.nodeType === 1) stack.push(child);
    }
  }
  return false;
}

/** The element's text, refusing anything but exactly one text node (no comments, no child elements, no CDATA tricks). */
export function singleText(element: Element): string | undefined {
  const nodes = Array.from(element.childNodes as unknown as ArrayLike<Node>);
  if (nodes.length !== 1 || nodes[0]?.nodeType !== 3) return undefined;
  return nodes[0].nodeValue ?? undefined;
}
