// Form validation for console pages: the same valibot schemas as the API, but a failure becomes a message the page shows
// next to the form instead of an error response.
import * as v from 'valibot';

export type FormResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function checkForm<TSchema extends v.GenericSchema>(schema: TSchema, fields: unknown): FormResult<v.InferOutput<TSchema>> {
  const result = v.safeParse(schema, fields);
  if (result.success) return { ok: true, value: result.output };
  return {
    ok: false,
    error: result.issues
      .slice(0, 5)
      .map((issue) => `${v.getDotPath(issue) ?? 'form'}: ${issue.message}`)
      .join('; '),
  };
}
