// Validation at the edge, before any I/O: request bodies are checked against valibot schemas (strict objects refuse
// unknown fields). valibot rather than zod: each schema bundles only what it uses (a few KB instead of ~440 KB).
import * as v from 'valibot';
import { BadRequest } from './errors.ts';

export function parseWith<TSchema extends v.GenericSchema>(schema: TSchema, value: unknown): v.InferOutput<TSchema> {
  if (value === undefined) throw new BadRequest('A JSON body is required');
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const detail = result.issues
    .slice(0, 5)
    .map((issue) => {
      const path = v.getDotPath(issue);
      return `${path ?? 'body'}: ${issue.message}`;
    })
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

/** A trimmed, non-empty string of at most `max` characters. */
export const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max));
