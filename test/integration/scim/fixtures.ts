// Loads an IdP fixture (test/fixtures/scim/*.json) and fills its {{placeholders}}.
import { readFileSync } from 'node:fs';

export type Fixture = Record<string, unknown> & { headers: Record<string, string> };

export function loadFixture(name: 'okta' | 'entra'): Fixture {
  return JSON.parse(readFileSync(new URL(`../../fixtures/scim/${name}.json`, import.meta.url), 'utf8')) as Fixture;
}

/** The request body `key` of the fixture with every {{name}} replaced (values are JSON-escaped). */
export function body(fixture: Fixture, key: string, values: Record<string, string> = {}): unknown {
  const text = JSON.stringify(fixture[key]).replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`fixture ${key} needs ${name}`);
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(text) as unknown;
}
