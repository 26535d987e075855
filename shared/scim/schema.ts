// The SCIM schemas we support (RFC 7643 §4, §8.7.1), as data: /Schemas serves them, and the same definitions drive
// input canonicalisation (case-insensitive attribute names, types), filters and PATCH paths, so they cannot disagree.

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** Our extension: the dashboard role of a user, or the role a group grants its members. */
export const IDENTITY_USER = 'urn:ietf:params:scim:schemas:extension:identity:2.0:User';
export const IDENTITY_GROUP = 'urn:ietf:params:scim:schemas:extension:identity:2.0:Group';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SERVICE_PROVIDER_CONFIG = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export type AttributeType = 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime' | 'integer';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';

export interface Attribute {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  subAttributes?: Attribute[];
  canonicalValues?: string[];
  referenceTypes?: string[];
}

function attr(name: string, type: AttributeType, description: string, options: Partial<Attribute> = {}): Attribute {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

const multiValue = (name: string, description: string, extra: Attribute[] = []): Attribute =>
  attr(name, 'complex', description, {
    multiValued: true,
    subAttributes: [
      attr('value', 'string', `The ${name} value`),
      attr('display', 'string', 'A human-readable name'),
      attr('type', 'string', 'A label such as work or home'),
      attr('primary', 'boolean', 'The primary value'),
      ...extra,
    ],
  });

export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: Attribute[];
}

export const USER_SCHEMA: SchemaDefinition = {
  id: CORE_USER,
  name: 'User',
  description: 'User account (userName is the email address)',
  attributes: [
    attr('userName', 'string', 'The email address; unique per account, case-insensitive, in a verified domain', {
      required: true,
      uniqueness: 'server',
    }),
    attr('name', 'complex', 'The components of the name', {
      subAttributes: [
        attr('formatted', 'string', 'The full name'),
        attr('familyName', 'string', 'Family name'),
        attr('givenName', 'string', 'Given name'),
        attr('middleName', 'string', 'Middle name'),
        attr('honorificPrefix', 'string', 'Honorific prefix'),
        attr('honorificSuffix', 'string', 'Honorific suffix'),
      ],
    }),
    attr('displayName', 'string', 'The name shown in the dashboard'),
    attr('nickName', 'string', 'Casual name'),
    attr('title', 'string', 'Job title'),
    attr('userType', 'string', 'Relationship to the organisation'),
    attr('preferredLanguage', 'string', 'Preferred language'),
    attr('locale', 'string', 'Locale'),
    attr('timezone', 'string', 'Time zone'),
    attr('active', 'boolean', 'false disables the user: sessions end and their API keys stop working; data is kept'),
    multiValue('emails', 'Email addresses'),
    multiValue('phoneNumbers', 'Phone numbers'),
    multiValue('roles', 'Roles (stored as sent; the dashboard role is in the identity extension)'),
    attr('groups', 'complex', 'Groups the user belongs to (manage through /Groups)', {
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        attr('value', 'string', 'Group id', { mutability: 'readOnly' }),
        attr('$ref', 'reference', 'Group URI', { mutability: 'readOnly', referenceTypes: ['Group'] }),
        attr('display', 'string', 'Group displayName', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

export const ENTERPRISE_SCHEMA: SchemaDefinition = {
  id: ENTERPRISE_USER,
  name: 'EnterpriseUser',
  description: 'Enterprise user',
  attributes: [
    attr('employeeNumber', 'string', 'Employee number'),
    attr('costCenter', 'string', 'Cost center'),
    attr('organization', 'string', 'Organization'),
    attr('division', 'string', 'Division'),
    attr('department', 'string', 'Department'),
    attr('manager', 'complex', 'The user\u2019s manager', {
      subAttributes: [
        attr('value', 'string', 'The manager\u2019s id'),
        attr('$ref', 'reference', 'The manager\u2019s URI', { referenceTypes: ['User'] }),
        attr('displayName', 'string', 'The manager\u2019s name', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

export const IDENTITY_USER_SCHEMA: SchemaDefinition = {
  id: IDENTITY_USER,
  name: 'IdentityUser',
  description: 'Dashboard attributes of a user',
  attributes: [attr('role', 'string', 'Dashboard role', { canonicalValues: ['admin', 'member'] })],
};

export const GROUP_SCHEMA: SchemaDefinition = {
  id: CORE_GROUP,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'string', 'Group name; unique per account, case-insensitive', { required: true, uniqueness: 'server' }),
    attr('members', 'complex', 'Members (users)', {
      multiValued: true,
      subAttributes: [
        attr('value', 'string', 'User id', { mutability: 'immutable', caseExact: true }),
        attr('$ref', 'reference', 'User URI', { mutability: 'immutable', referenceTypes: ['User'] }),
        attr('display', 'string', 'User name', { mutability: 'immutable' }),
        attr('type', 'string', 'Member type', { mutability: 'immutable', canonicalValues: ['User'] }),
      ],
    }),
  ],
};

export const IDENTITY_GROUP_SCHEMA: SchemaDefinition = {
  id: IDENTITY_GROUP,
  name: 'IdentityGroup',
  description: 'Dashboard attributes of a group',
  attributes: [attr('role', 'string', 'Dashboard role granted to members', { canonicalValues: ['admin', 'member'] })],
};

/** Attributes every resource has (RFC 7643 §3.1), not part of any schema's attribute list. */
export const COMMON_ATTRIBUTES: Attribute[] = [
  attr('id', 'string', 'Server-assigned id', { mutability: 'readOnly', returned: 'always', caseExact: true, uniqueness: 'server' }),
  attr('externalId', 'string', 'The IdP\u2019s id', { caseExact: true }),
  attr('meta', 'complex', 'Resource metadata', {
    mutability: 'readOnly',
    subAttributes: [
      attr('resourceType', 'string', 'Resource type', { mutability: 'readOnly' }),
      attr('created', 'dateTime', 'Created', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', 'Last modified', { mutability: 'readOnly' }),
      attr('location', 'reference', 'URI', { mutability: 'readOnly' }),
      attr('version', 'string', 'Weak ETag', { mutability: 'readOnly' }),
    ],
  }),
];

export interface ResourceKind {
  name: 'User' | 'Group';
  endpoint: string;
  core: SchemaDefinition;
  extensions: SchemaDefinition[];
}

export const USER_KIND: ResourceKind = {
  name: 'User',
  endpoint: '/Users',
  core: USER_SCHEMA,
  extensions: [ENTERPRISE_SCHEMA, IDENTITY_USER_SCHEMA],
};

export const GROUP_KIND: ResourceKind = {
  name: 'Group',
  endpoint: '/Groups',
  core: GROUP_SCHEMA,
  extensions: [IDENTITY_GROUP_SCHEMA],
};

export const ALL_SCHEMAS = [USER_SCHEMA, ENTERPRISE_SCHEMA, IDENTITY_USER_SCHEMA, GROUP_SCHEMA, IDENTITY_GROUP_SCHEMA];

export const findAttribute = (attributes: readonly Attribute[], name: string): Attribute | undefined => {
  const lower = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === lower);
};

/** The extension schema a URN names (case-insensitive), if it is one of the kind's. */
export const findExtension = (kind: ResourceKind, urn: string): SchemaDefinition | undefined =>
  kind.extensions.find((s) => s.id.toLowerCase() === urn.toLowerCase());
