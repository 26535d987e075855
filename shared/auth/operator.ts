// The operator key: OPERATOR_KEY locally, a Secrets Manager secret (OPERATOR_KEY_SECRET_ARN) on AWS, read once per
// container. Compared in constant time.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Unauthorized } from '../http/errors.ts';
import { bearerToken } from './api-key-token.ts';

let cached: Promise<string> | undefined;

async function loadOperatorKey(): Promise<string> {
  const inline = process.env.OPERATOR_KEY;
  if (inline) return inline;
  const arn = process.env.OPERATOR_KEY_SECRET_ARN;
  if (!arn) throw new Error('Missing required setting OPERATOR_KEY or OPERATOR_KEY_SECRET_ARN');
  const result = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  if (!result.SecretString) throw new Error('The operator key secret is empty');
  return result.SecretString;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export async function requireOperator(authorization: string | undefined): Promise<void> {
  const presented = bearerToken(authorization);
  if (!presented) throw new Unauthorized();
  cached ??= loadOperatorKey();
  // Hashing both sides first gives equal-length buffers, so the comparison time does not depend on the key's length.
  if (!timingSafeEqual(digest(presented), digest(await cached))) throw new Unauthorized();
}
