// GET /scim/v2/Schemas
import { route } from '../../shared/http/handler.ts';
import { schemas } from '../../shared/scim/discovery.ts';

export const handler = route('scim', async () => ({ status: 200, body: schemas() }));
