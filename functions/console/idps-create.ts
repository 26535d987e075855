// POST /console/idps (form: type=saml|oidc, description, source + the SAML fields of that source, allowIdpInitiated; or
// issuer, clientId, clientSecret): adds an IdP exactly as POST /api/v1/idps does (CreateIdpBody, addIdp, `idp.created`).
import { checkForm } from '../../shared/console/form.ts';
import { idpsPage, type SamlSource } from '../../shared/console/idps-page.ts';
import { consoleRoute, redirect } from '../../shared/console/route.ts';
import { db } from '../../shared/db/client.ts';
import { HttpError } from '../../shared/http/errors.ts';
import { pathFor } from '../../shared/http/url.ts';
import { addIdp } from '../../shared/sso/idp-admin.ts';
import { CreateIdpBody } from '../../shared/sso/idp-input.ts';

const database = db();

const SOURCE_FIELDS: Record<SamlSource, readonly string[]> = {
  metadataUrl: ['metadataUrl'],
  metadataXml: ['metadataXml'],
  manual: ['entityId', 'ssoUrl', 'certificate'],
};

/** The API body the form stands for: only the fields of the chosen type and SAML source. */
function bodyFrom(form: Record<string, string>): Record<string, string | boolean> {
  const pick = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, form[n] ?? '']));
  if (form.type === 'saml') {
    const fields = SOURCE_FIELDS[form.source as SamlSource] ?? SOURCE_FIELDS.metadataUrl;
    return { type: 'saml', ...pick(['description', ...fields]), ...(form.allowIdpInitiated === 'on' ? { allowIdpInitiated: true } : {}) };
  }
  return { type: form.type ?? '', ...pick(['description', 'issuer', 'clientId', 'clientSecret']) };
}

export const handler = consoleRoute(database, async (ctx) => {
  // The secret is never rendered back, also not into the re-shown form.
  const { clientSecret: _secret, ...draft } = ctx.form;
  const checked = checkForm(CreateIdpBody, bodyFrom(ctx.form));
  if (!checked.ok) return idpsPage(database, ctx, { status: 400, error: checked.error, draft });
  try {
    const idp = await addIdp(database, ctx.account.id, checked.value, ctx.audit('idp.created'));
    return redirect(`${pathFor('console-idp', { id: idp.id })}?notice=created`);
  } catch (error) {
    if (error instanceof HttpError && error.status < 500) {
      return idpsPage(database, ctx, { status: error.status, error: error.detail, draft });
    }
    throw error;
  }
});
