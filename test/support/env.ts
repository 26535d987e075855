// Runs before each test file's imports: quiet logs (modules read LOG_LEVEL when they load).
process.env.LOG_LEVEL = 'SILENT';
