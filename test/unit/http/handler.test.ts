// The shared chain: edge validation and the one error renderer, exercised through a real middy handler.
import { describe, expect, test } from '@jest/globals';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { BadRequest, Conflict } from '../../../shared/http/errors.ts';
import { route } from '../../../shared/http/handler.ts';


function event(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    resource: '/x',
    path: '/x',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { identity: { sourceIp: '203.0.113.5' }, requestId: 'r1' } as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

const context = {} as Context;

describe('route()', () => {
  const echo = route('scim', async (request) => ({ status: 200, body: { got: request.body } }));

  test('parses application/scim+json with a charset', async () => {
    const result = await echo(event({ body: '{"a":1}', headers: { 'content-type': 'application/scim+json; charset=utf-8' } }), context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ got: { a: 1 } });
    expect(result.headers?.['Content-Type']).toBe('application/scim+json; charset=utf-8');
  });

  test('malformed JSON on a SCIM route is 400 invalidSyntax in the SCIM error schema', async () => {
    const result = await echo(event({ body: '{"a":' }), context);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      scimType: 'invalidSyntax',
      detail: 'The request body is not valid JSON',
    });
  });

  test('a body that is not JSON is 415', async () => {
    const result = await echo(event({ body: 'a=1', headers: { 'Content-Type': 'text/plain' } }), context);
    expect(result.statusCode).toBe(415);
  });

  test('errors thrown by the route render in the surface dialect', async () => {
    const conflict = route('scim', async () => {
      throw new Conflict('userName taken');
    });
    const scim = await conflict(event(), context);
    expect(JSON.parse(scim.body)).toMatchObject({ status: '409', scimType: 'uniqueness', detail: 'userName taken' });
    const admin = route('admin', async () => {
      throw new BadRequest('bad thing');
    });
    expect(JSON.parse((await admin(event(), context)).body)).toEqual({ status: 400, error: 'invalid_request', detail: 'bad thing' });
  });

  test('an unexpected error is a generic 500 that leaks nothing', async () => {
    const failing = route('admin', async () => {
      throw new Error('secret internal detail');
    });
    const result = await failing(event(), context);
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('secret internal detail');
  });

  test('DynamoDB throttling becomes 503 with Retry-After', async () => {
    const throttled = route('scim', async () => {
      const error = new Error('slow down');
      error.name = 'ProvisionedThroughputExceededException';
      throw error;
    });
    const result = await throttled(event(), context);
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('1');
    expect(JSON.parse(result.body).schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });

  test('browser routes render an HTML page with escaped detail', async () => {
    const page = route('browser', async () => {
      throw new BadRequest('<script>alert(1)</script>');
    });
    const result = await page(event({ body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), context);
    expect(result.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
    expect(result.body).not.toContain('<script>');
    expect(result.body).toContain('&#60;script&#62;');
  });
});
