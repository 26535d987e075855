// GET /scim/v2/ResourceTypes/{id}
import { route } from '../../shared/http/handler.ts';
import { resourceTypeById } from '../../shared/scim/discovery.ts';

export const handler = route('scim', async (request) => ({ status: 200, body: resourceTypeById(request.pathParameters.id ?? '') }));
