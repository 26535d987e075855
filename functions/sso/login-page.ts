// GET /login[?email=&returnTo=]: the sign-in page. With an email: the account of its verified domain and that account's
// IdPs (a choice by description when there are several), plus a password form in mixed mode for a user who has one.
import { db } from '../../shared/db/client.ts';
import { route } from '../../shared/http/handler.ts';
import { safeRelativePath } from '../../shared/http/redirect.ts';
import { discoverLogin } from '../../shared/sso/login-discovery.ts';
import { chooserPage, emailFormPage } from '../../shared/sso/login-pages.ts';

const database = db();
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

export const handler = route('browser', async (request) => {
  const returnTo = safeRelativePath(request.query.returnTo);
  const email = (request.query.email ?? '').trim();
  if (email === '') return emailFormPage({ returnTo });
  if (!EMAIL.test(email)) return emailFormPage({ email, returnTo, message: 'Enter your work email address, e.g. jane@example.com.' });
  const options = await discoverLogin(database, email);
  if (!options || (options.idps.length === 0 && !options.password)) {
    // The same words whether the domain is unknown or its account has no way in for this user.
    return emailFormPage({
      email,
      returnTo,
      message: 'We could not find a way to sign you in with this email address. Check it, or ask your administrator.',
    });
  }
  return chooserPage({ email, returnTo, idps: options.idps, password: options.password });
});
