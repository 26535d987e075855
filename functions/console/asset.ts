// GET /console/assets/{name}: the console's script and stylesheet (the CSP allows only same-origin code).
import { CONSOLE_CSS, CONSOLE_JS } from '../../shared/console/assets.ts';
import { withSecurityHeaders } from '../../shared/console/security.ts';
import { NotFound } from '../../shared/http/errors.ts';
import { route } from '../../shared/http/handler.ts';

const ASSETS: Record<string, { type: string; body: string }> = {
  'console.js': { type: 'text/javascript; charset=utf-8', body: CONSOLE_JS },
  'console.css': { type: 'text/css; charset=utf-8', body: CONSOLE_CSS },
};

export const handler = withSecurityHeaders(
  route('browser', async (request) => {
    const asset = ASSETS[request.pathParameters.name ?? ''];
    if (!asset) throw new NotFound('No such file');
    // The text goes out as-is through `html`, its own Content-Type replacing the HTML one. A short public cache: the
    // files change only with a deploy.
    return {
      status: 200,
      html: asset.body,
      headers: { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=300' },
    };
  }),
);
