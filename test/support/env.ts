// Runs before each test file's imports: quiet logs (modules read LOG_LEVEL when they load).
process.env.LOG_LEVEL = 'SILENT';
// Sealed IdP secrets need a key (npm start generates one per run); loopback http IdPs are the tests' real oidc-provider.
process.env.IDP_SECRET_KEY ??= Buffer.alloc(32, 7).toString('base64');
process.env.ALLOW_INSECURE_LOOPBACK_IDP = '1';
