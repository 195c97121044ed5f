/** Tables of account safety: email tokens, sign-in throttling, sign-up signals. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the tables that follow
export interface AccountSafetyTables {}
