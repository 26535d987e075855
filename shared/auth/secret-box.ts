// Sealed secrets (OIDC client secrets and the like) at rest in the table: AES-256-GCM with a context string as additional
// authenticated data, so a sealed value copied to another IdP or account does not open there.
// The key: IDP_SECRET_KEY (base64 of 32 bytes) locally; on AWS the Secrets Manager secret named by IDP_SECRET_KEY_ARN,
// read once per container. A secret that is not base64 of exactly 32 bytes (e.g. a generated password) is hashed with
// SHA-256 into the key.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

let cachedKey: Promise<Buffer> | undefined;

function keyFromString(value: string, strict: boolean): Buffer {
  const trimmed = value.trim();
  const decoded = /^[A-Za-z0-9+/]{43}=$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
  if (decoded?.length === 32) return decoded;
  if (strict) throw new Error('IDP_SECRET_KEY must be the base64 encoding of 32 random bytes');
  return createHash('sha256').update(trimmed, 'utf8').digest();
}

async function loadKey(): Promise<Buffer> {
  const inline = process.env.IDP_SECRET_KEY;
  if (inline) return keyFromString(inline, true);
  const arn = process.env.IDP_SECRET_KEY_ARN;
  if (!arn) throw new Error('Missing required setting IDP_SECRET_KEY or IDP_SECRET_KEY_ARN');
  const result = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  if (!result.SecretString) throw new Error('The IdP secret key secret is empty');
  return keyFromString(result.SecretString, false);
}

function key(): Promise<Buffer> {
  cachedKey ??= loadKey().catch((error: unknown) => {
    cachedKey = undefined;
    throw error;
  });
  return cachedKey;
}

/** A new random key in the form IDP_SECRET_KEY expects. */
export function generateSecretKey(): string {
  return randomBytes(32).toString('base64');
}

/** Encrypts `plain`, bound to `context` (e.g. `idp:{accountId}:{idpId}`). Returns `v1.<iv>.<ciphertext+tag>` (base64url). */
export async function sealSecret(plain: string, context: string): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', await key(), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/** Decrypts what sealSecret returned for the same context; throws if the value, the context or the key differ. */
export async function openSecret(sealed: string, context: string): Promise<string> {
  const [version, ivText, bodyText, ...rest] = sealed.split('.');
  if (version !== VERSION || !ivText || !bodyText || rest.length) throw new Error('Not a sealed secret');
  const iv = Buffer.from(ivText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new Error('Not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', await key(), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** The AAD context for an IdP's client secret. */
export const idpSecretContext = (accountId: string, idpId: string): string => `idp:${accountId}:${idpId}`;
