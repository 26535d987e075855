// The domains repository against DynamoDB Local: challenge, verification, global claim.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { AuditEvent } from '../../../shared/db/audit.ts';
import {
  accountIdForDomain,
  addDomain,
  emailDomain,
  isDomainVerified,
  markDomainVerified,
} from '../../../shared/db/domains.ts';
import { createTestAccount, startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const audit = (accountId: string): AuditEvent => ({
  accountId,
  action: 'domain.verified',
  actor: { type: 'system', id: 'test' },
  outcome: 'success',
});

test('a domain is verified by one account only, and then routes discovery to it', async () => {
  const a = await createTestAccount(stack, 'A');
  const b = await createTestAccount(stack, 'B');
  const challenge = await addDomain(stack.db, a.id, 'Example.COM.');
  expect(challenge).toMatchObject({ domain: 'example.com', txtName: '_identity-challenge.example.com', verified: false });
  expect(await addDomain(stack.db, a.id, 'example.com')).toEqual(challenge);
  expect(await isDomainVerified(stack.db, a.id, 'example.com')).toBe(false);
  expect(await accountIdForDomain(stack.db, 'example.com')).toBeUndefined();

  await markDomainVerified(stack.db, a.id, 'example.com', audit(a.id));
  expect(await isDomainVerified(stack.db, a.id, 'EXAMPLE.com')).toBe(true);
  expect(await accountIdForDomain(stack.db, emailDomain('Jane@Example.com') ?? '')).toBe(a.id);

  await addDomain(stack.db, b.id, 'example.com');
  await expect(markDomainVerified(stack.db, b.id, 'example.com', audit(b.id))).rejects.toMatchObject({ status: 409 });
  expect(await isDomainVerified(stack.db, b.id, 'example.com')).toBe(false);
  await expect(markDomainVerified(stack.db, b.id, 'never-added.example', audit(b.id))).rejects.toMatchObject({ status: 404 });
});

test('emailDomain', () => {
  expect(emailDomain('a@B.example')).toBe('b.example');
  expect(emailDomain('no-at-sign')).toBeUndefined();
  expect(emailDomain('trailing@')).toBeUndefined();
  expect(emailDomain('@lead.example')).toBeUndefined();
});
