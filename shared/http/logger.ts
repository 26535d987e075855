// Structured JSON logs (Powertools). Nothing that can carry a secret is ever passed here: no headers, bodies, tokens,
// assertions, passwords or cookies — only ids, routes, statuses and error names.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({
  serviceName: 'identity',
  logLevel: (process.env.LOG_LEVEL as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' | undefined) ?? 'INFO',
});
