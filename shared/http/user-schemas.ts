// Request schemas for people, shared by the admin API and the console so both accept exactly the same input.
import * as v from 'valibot';
import { text } from './validate.ts';

/** An invitation: `{email, role?, displayName?}` (role defaults to member). */
export const InviteUserBody = v.strictObject({
  email: v.pipe(v.string(), v.trim(), v.email('must be an email address'), v.maxLength(254)),
  role: v.optional(v.picklist(['admin', 'member']), 'member'),
  displayName: v.optional(text(200)),
});
