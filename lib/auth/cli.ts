// `npm run user -- reset-password <email> | unlock <email> | reset-factors <email>`: the server
// operator's way back in when no owner can help (an owner locked out, with a lost password or device).
import { closePglite, databaseTarget } from '../db/connect';
import { env } from '../env';
import { isAppError } from '../errors';
import { applyMigrations } from '../migrations/migrations';
// Not the public index: that one pulls in the session layer, which a plain Node script cannot load.
import { resetFactorsAsOperator } from '../second-factor/reset-factors-as-operator';
import { resetPasswordAsOperator, unlockAsOperator } from './operator-commands';

const USAGE = 'Usage: npm run user -- reset-password <email> | unlock <email> | reset-factors <email>';

async function main(command: string | undefined, email: string | undefined): Promise<number> {
  if ((command !== 'reset-password' && command !== 'unlock' && command !== 'reset-factors') || !email) {
    console.error(USAGE);
    return 2;
  }
  await applyMigrations(databaseTarget(env()));
  const disabledNote = 'The account is disabled; an owner or admin can enable it on the Team page.';
  if (command === 'reset-password') {
    const result = await resetPasswordAsOperator(email);
    console.log(`Temporary password for ${result.email}: ${result.temporaryPassword}`);
    console.log(`It must be changed at the next sign-in. Sign-in locks lifted; ${result.sessionsEnded} session(s) ended.`);
    if (result.disabled) console.log(disabledNote);
    return 0;
  }
  if (command === 'reset-factors') {
    const result = await resetFactorsAsOperator(email);
    console.log(`Removed ${result.factorsRemoved} second factor(s) and the recovery codes of ${result.email}; ${result.sessionsEnded} session(s) ended.`);
    return 0;
  }
  const result = await unlockAsOperator(email);
  console.log(`Unlocked ${result.email}: ${result.locksCleared} sign-in counter(s) cleared; ${result.sessionsEnded} session(s) ended.`);
  if (result.disabled) console.log(disabledNote);
  return 0;
}

main(process.argv[2], process.argv[3])
  .then(async (code) => {
    await closePglite();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(isAppError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : error);
    await closePglite().catch(() => {});
    process.exit(1);
  });
