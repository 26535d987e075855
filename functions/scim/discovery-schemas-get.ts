// GET /scim/v2/Schemas/{id}
import { route } from '../../shared/http/handler.ts';
import { schemaById } from '../../shared/scim/discovery.ts';

export const handler = route('scim', async (request) => ({ status: 200, body: schemaById(request.pathParameters.id ?? '') }));
