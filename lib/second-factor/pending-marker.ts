// How a password sign-in says "now the second factor": next-auth passes only an error string back
// to the browser, so it is this prefix followed by `{ ticket, methods }` as JSON. Pure.
export const SECOND_FACTOR_PENDING = 'second-factor-pending:';
