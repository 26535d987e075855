// The one table, hardened: on-demand, point-in-time recovery, retained on stack deletion in every stage, deletion
// protection (prod by default), TTL, streams, encryption with the AWS-owned key or a customer-managed key by context.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ContributorInsightsMode,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE } from '../../shared/db/table.ts';

export interface DataTableProps {
  deletionProtection: boolean;
  customerManagedKey: boolean;
  contributorInsights: boolean;
}

export class DataTable extends Construct {
  readonly table: TableV2;
  /** Set when the table is encrypted with a customer-managed key; functions get kms grants on it. */
  readonly key?: Key;

  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    if (props.customerManagedKey) {
      this.key = new Key(this, 'Key', {
        description: 'Encrypts the identity table (accounts, users, hashed keys, sessions, audit events)',
        enableKeyRotation: true,
        // Losing the key loses the data: it outlives the stack like the table does.
        removalPolicy: RemovalPolicy.RETAIN,
        pendingWindow: Duration.days(30),
      });
    }
    const insights = props.contributorInsights
      ? { contributorInsightsSpecification: { enabled: true, mode: ContributorInsightsMode.ACCESSED_AND_THROTTLED_KEYS } }
      : {};
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: TABLE.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...insights,
      })),
      billing: Billing.onDemand(),
      timeToLiveAttribute: TABLE.ttlAttribute,
      dynamoStream: StreamViewType[TABLE.stream],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      // Every stage keeps its data when the stack goes: accounts, hashed keys and the audit trail are not rebuildable.
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: this.key ? TableEncryptionV2.customerManagedKey(this.key) : TableEncryptionV2.dynamoOwnedKey(),
      ...insights,
    });
  }
}
