// Display names for ids on console pages: the emails of the people an audit page mentions, read in BatchGetItem calls of
// at most 100 keys (one call for a page of 50 events). A missing user (deleted) keeps showing its id.
import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../db/client.ts';
import { ENTITY, userKey } from '../db/keys.ts';

const BATCH_GET_LIMIT = 100;

export async function userEmails(db: Db, accountId: string, userIds: readonly string[]): Promise<Map<string, string>> {
  const emails = new Map<string, string>();
  const ids = [...new Set(userIds)];
  for (let i = 0; i < ids.length; i += BATCH_GET_LIMIT) {
    let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + BATCH_GET_LIMIT).map((id) => ({ ...userKey(accountId, id) }));
    // Unprocessed keys are retried a couple of times; after that the page shows ids, which is still correct.
    for (let attempt = 0; keys && keys.length > 0 && attempt < 3; attempt++) {
      const result: BatchGetCommandOutput = await db.doc.send(
        new BatchGetCommand({
          RequestItems: { [db.tableName]: { Keys: keys, ProjectionExpression: 'id, email, entity' } },
        }),
      );
      for (const item of result.Responses?.[db.tableName] ?? []) {
        if (item.entity === ENTITY.user) emails.set(String(item.id), String(item.email));
      }
      keys = result.UnprocessedKeys?.[db.tableName]?.Keys;
    }
  }
  return emails;
}
