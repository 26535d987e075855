// GET /scim/v2/ServiceProviderConfig
import { route } from '../../shared/http/handler.ts';
import { serviceProviderConfig } from '../../shared/scim/discovery.ts';

export const handler = route('scim', async () => ({ status: 200, body: serviceProviderConfig() }));
