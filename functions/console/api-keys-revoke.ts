// POST /console/api-keys/{id}/revoke: revokes at once, exactly as DELETE /api/v1/api-keys/{id} does (same audit event).
import { apiKeysPage } from '../../shared/console/api-keys-page.ts';
import { consoleRoute, redirect } from '../../shared/console/route.ts';
import { revokeApiKey } from '../../shared/db/api-keys.ts';
import { db } from '../../shared/db/client.ts';
import { NotFound } from '../../shared/http/errors.ts';
import { urlFor } from '../../shared/http/url.ts';

const database = db();

export const handler = consoleRoute(database, async (ctx) => {
  try {
    await revokeApiKey(database, ctx.account.id, ctx.request.pathParameters.id ?? '', ctx.audit('apiKey.revoked'));
  } catch (error) {
    if (error instanceof NotFound) return apiKeysPage(database, ctx, { status: 404, error: 'No such key, or it was already revoked.' });
    throw error;
  }
  return redirect(`${urlFor('console-api-keys')}?notice=revoked`);
});
