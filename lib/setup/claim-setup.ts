import 'server-only';
// POST /api/setup: a fresh install is claimed with the one-time code from the server log.
import { AppError } from '../errors';
import { createOwner } from './create-owner';
import { needsSetup } from './needs-setup';
import type { ClaimSetupInput } from './schema';
import { retireSetupCode, setupCodeMatches } from './setup-code';

/** Creates the owner when the setup code matches; 409 once set up, 403 for a missing or wrong code. */
export async function claimSetup(input: ClaimSetupInput): Promise<{ email: string }> {
  if (!(await needsSetup())) throw new AppError('conflict', 'Strongroom is already set up. Sign in instead.', { messageKey: 'errors.alreadySetUp' });
  if (!setupCodeMatches(input.code)) {
    const message = 'The setup code is wrong. Copy it from the server log, from the line "Setup code".';
    throw new AppError('forbidden', message, { messageKey: 'errors.setupCodeWrong', fields: { code: [message] }, fieldKeys: { code: 'errors.setupCodeWrong' } });
  }
  const owner = await createOwner({ name: input.name, email: input.email, password: input.password });
  retireSetupCode();
  return owner;
}
