// Validation at the edge, before any I/O: request bodies are checked against zod schemas (unknown fields refused).
import { z } from 'zod';
import { BadRequest } from './errors.ts';

export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  if (value === undefined) throw new BadRequest('A JSON body is required');
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
  throw new BadRequest(detail);
}

/** Integer query parameter within [min, max], or the default when absent. */
export function intParam(value: string | undefined, name: string, options: { min: number; max: number; default: number }): number {
  if (value === undefined || value === '') return options.default;
  if (!/^\d+$/.test(value)) throw new BadRequest(`${name} must be a whole number`);
  const n = Number(value);
  if (n < options.min || n > options.max) throw new BadRequest(`${name} must be between ${options.min} and ${options.max}`);
  return n;
}
