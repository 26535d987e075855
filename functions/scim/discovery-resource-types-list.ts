// GET /scim/v2/ResourceTypes
import { route } from '../../shared/http/handler.ts';
import { resourceTypes } from '../../shared/scim/discovery.ts';

export const handler = route('scim', async () => ({ status: 200, body: resourceTypes() }));
