// How every Lambda is bundled. The CDK construct and the bundle-size benchmark both use these options, so what we
// measure is what we deploy.
export const LAMBDA_NODE_TARGET = 'node22';

/** Left out of bundles: the Node.js 22 Lambda runtime ships AWS SDK v3. */
export const EXTERNAL_MODULES = ['@aws-sdk/*'];

/** ESM bundles still meet CommonJS dependencies that call require(); this banner gives them one. */
export const ESM_REQUIRE_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";
