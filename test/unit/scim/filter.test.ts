import { expect, test } from '@jest/globals';
import { matches, parseFilter, planLookup } from '../../../shared/scim/filter.ts';
import { GROUP_KIND, USER_KIND } from '../../../shared/scim/schema.ts';

const user = {
  id: 'u1',
  userName: 'Ada@Example.com',
  externalId: 'Okta-1',
  active: false,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [
    { value: 'ada@example.com', type: 'work', primary: true },
    { value: 'ada@home.example', type: 'home' },
  ],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Math', manager: { value: 'm1' } },
  meta: { created: '2026-01-02T00:00:00Z' },
};
const m = (filter: string) => matches(USER_KIND, parseFilter(filter), user);

test('operators, case-insensitive names and values (except caseExact attributes)', () => {
  expect(m('userName eq "ada@example.com"')).toBe(true);
  expect(m('USERNAME EQ "ADA@EXAMPLE.COM"')).toBe(true);
  expect(m('externalId eq "okta-1"')).toBe(false);
  expect(m('externalId eq "Okta-1"')).toBe(true);
  expect(m('userName ne "x"')).toBe(true);
  expect(m('userName co "EXAMPLE"')).toBe(true);
  expect(m('userName sw "ada"')).toBe(true);
  expect(m('userName ew ".com"')).toBe(true);
  expect(m('meta.created gt "2026-01-01"')).toBe(true);
  expect(m('meta.created ge "2026-01-03"')).toBe(false);
  expect(m('meta.created lt "2026-01-03"')).toBe(true);
  expect(m('meta.created le "2026-01-01"')).toBe(false);
  expect(m('active eq false')).toBe(true);
  expect(m('active eq "False"')).toBe(true);
  expect(m('title pr')).toBe(false);
  expect(m('name.givenName pr')).toBe(true);
  expect(m('emails.value eq "ada@home.example"')).toBe(true);
  expect(m('emails eq "ada@home.example"')).toBe(true);
  expect(m('title eq null')).toBe(true);
});

test('logic, precedence, grouping, not, value paths and the Entra `.value eq` form', () => {
  expect(m('userName eq "x" or userName sw "ada" and active eq false')).toBe(true);
  expect(m('(userName eq "x" or userName sw "ada") and active eq true')).toBe(false);
  expect(m('not (active eq true)')).toBe(true);
  expect(m('emails[type eq "work" and value ew "example.com"]')).toBe(true);
  expect(m('emails[type eq "home" and primary eq true]')).toBe(false);
  expect(m('emails[type eq "work"].value eq "ada@example.com"')).toBe(true);
  expect(m('emails[type eq "home"].value eq "ada@example.com"')).toBe(false);
  expect(m('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "math"')).toBe(true);
  expect(m('manager.value eq "m1"')).toBe(true);
  expect(m('unknownAttr eq "x"')).toBe(false);
});

test('`+` outside quotes is a space, inside quotes it is kept; unquoted values are strings', () => {
  expect(m('userName+eq+"ada@example.com"')).toBe(true);
  expect(matches(USER_KIND, parseFilter('userName eq "a+b@example.com"'), { userName: 'a+b@example.com' })).toBe(true);
  expect(parseFilter('externalId eq 5e3f-aa')).toEqual({ op: 'eq', path: 'externalId', value: '5e3f-aa' });
});

test('invalid filters are invalidFilter errors', () => {
  for (const bad of ['', 'userName', 'userName eq', 'userName xx "a"', '(userName eq "a"', 'userName eq "a" and', 'emails[type eq "work"', '"a" eq "b"', 'userName eq "unterminated']) {
    expect(() => parseFilter(bad)).toThrow(expect.objectContaining({ scimType: 'invalidFilter', status: 400 }));
  }
  expect(() => m('active gt true')).toThrow(expect.objectContaining({ scimType: 'invalidFilter' }));
  expect(() => parseFilter('('.repeat(50) + 'a pr' + ')'.repeat(50))).toThrow(expect.objectContaining({ scimType: 'invalidFilter' }));
});

test('the planner picks key lookups from the top-level AND chain only', () => {
  expect(planLookup(USER_KIND, parseFilter('userName eq "a@b.c"'))).toEqual({ attribute: 'userName', value: 'a@b.c' });
  expect(planLookup(USER_KIND, parseFilter('active eq true and externalId eq "x"'))).toEqual({ attribute: 'externalId', value: 'x' });
  expect(planLookup(USER_KIND, parseFilter('id eq "1"'))).toEqual({ attribute: 'id', value: '1' });
  expect(planLookup(USER_KIND, parseFilter('userName eq "a" or userName eq "b"'))).toBeUndefined();
  expect(planLookup(USER_KIND, parseFilter('userName co "a"'))).toBeUndefined();
  expect(planLookup(GROUP_KIND, parseFilter('displayName eq "Eng"'))).toEqual({ attribute: 'displayName', value: 'Eng' });
});
