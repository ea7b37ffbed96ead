/**
 * The team password for this backend's session, in memory only: a job's params are saved in the
 * catalog, so the sync job reads the password from here, never from its params.
 */
const passwords = new WeakMap<object, string>();

export const rememberTeamPassword = (owner: object, password: string | undefined): void => {
  if (password !== undefined && password !== '') passwords.set(owner, password);
};

export const teamPasswordOf = (owner: object): string | undefined => passwords.get(owner);
