// The one table definition: the CDK stack, the local runtime and the tests all build the table from this.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
}

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after it passes (readers still check it). */
  ttlAttribute: 'ttl',
  /** Overloaded secondary indexes; what each one holds is listed in keys.ts. All project every attribute. */
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ] as const satisfies readonly IndexDefinition[],
  /** Streams carry every change to the audit trail and metrics consumers. */
  stream: 'NEW_AND_OLD_IMAGES',
} as const;

export type IndexName = (typeof TABLE.indexes)[number]['name'];

/** The CreateTable input for DynamoDB Local (and any other non-CDK creation); on-demand like the stack. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const keyAttributes = [TABLE.partitionKey, TABLE.sortKey, ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.stream },
  };
}
