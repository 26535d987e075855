// Lambda REQUEST authorizer for the SCIM and admin APIs: API key (hash, expiry, revocation, owner state), the account's
// IP allowlist, and the key's scopes turned into a policy over exactly the routes those scopes reach. The policy is
// cached by API Gateway per (Authorization, source IP) for AUTHORIZER_CACHE_TTL_SECONDS.
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { decide } from '../../shared/auth/authorize.ts';
import { policyResources } from '../../shared/auth/policy.ts';
import { db } from '../../shared/db/client.ts';
import { logger } from '../../shared/http/logger.ts';

const database = db();

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const authorization = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  const decision = await decide(database, { authorization, sourceIp: event.requestContext.identity.sourceIp });
  if (decision.effect === 'unauthenticated') {
    logger.info('authorizer refused', { reason: 'unauthenticated' });
    // API Gateway answers 401 (the UNAUTHORIZED gateway response) when an authorizer throws exactly this.
    throw new Error('Unauthorized');
  }
  if (decision.effect === 'forbidden') {
    logger.info('authorizer refused', { reason: decision.reason, accountId: decision.accountId });
    return {
      principalId: decision.accountId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: policyResources(event.methodArn, ['*']) }],
      },
    };
  }
  return {
    principalId: decision.keyId,
    usageIdentifierKey: decision.accountId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: policyResources(event.methodArn, decision.scopes) },
      ],
    },
    context: {
      accountId: decision.accountId,
      keyId: decision.keyId,
      ownerId: decision.ownerId,
      scopes: decision.scopes.join(','),
    },
  };
}
