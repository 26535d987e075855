// Email → verified domain → account → its IdPs, and whether this user may use a password (mixed mode, has one).
import { getAccount, type Account } from '../db/accounts.ts';
import type { Db } from '../db/client.ts';
import { accountIdForDomain, emailDomain } from '../db/domains.ts';
import { listIdps, type Idp } from '../db/idps.ts';
import { getUserItemByEmail, type UserItem } from '../db/users.ts';

export interface LoginOptions {
  account: Account;
  idps: Idp[];
  user: UserItem | undefined;
  /** Mixed mode and an active user with a password. */
  password: boolean;
}

/** 1 GetItem (domain claim), then 1 GetItem + 1 Query + 1 Query (gsi1) in parallel. Undefined: no account claims it. */
export async function discoverLogin(db: Db, email: string): Promise<LoginOptions | undefined> {
  const domain = emailDomain(email);
  if (!domain) return undefined;
  const accountId = await accountIdForDomain(db, domain);
  if (!accountId) return undefined;
  const [account, idps, user] = await Promise.all([
    getAccount(db, accountId),
    listIdps(db, accountId),
    getUserItemByEmail(db, accountId, email),
  ]);
  if (!account) return undefined;
  const password = account.enforcement === 'mixed' && user?.passwordHash !== undefined && user.active;
  return { account, idps: idps.sort((x, y) => x.description.localeCompare(y.description)), user, password };
}
