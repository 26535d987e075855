// Form validation for console pages: the same valibot schemas as the API, but a failure becomes a message the page shows
// next to the form instead of an error response.
import * as v from 'valibot';

export type FormResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** An empty field counts as not given (browsers send every input), so optional API fields stay optional on the page. */
export function checkForm<TSchema extends v.GenericSchema>(
  schema: TSchema,
  fields: Record<string, string>,
): FormResult<v.InferOutput<TSchema>> {
  const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value.trim() !== ''));
  const result = v.safeParse(schema, given);
  if (result.success) return { ok: true, value: result.output };
  return {
    ok: false,
    error: result.issues
      .slice(0, 5)
      .map((issue) => `${v.getDotPath(issue) ?? 'form'}: ${issue.message}`)
      .join('; '),
  };
}
