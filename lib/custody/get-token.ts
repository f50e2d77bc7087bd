import 'server-only';
// One token's page.
import { AppError } from '../errors';
import { can } from '../auth/permissions';
import type { TokenDto } from './dto';
import { tokenDtoFor } from './find-token';
import type { Actor } from './mutate-token';

/** One token as the viewer sees it; 404 when it does not exist or is not granted to them. */
export async function getToken(viewer: Actor, id: string): Promise<TokenDto> {
  if (!can(viewer.role, 'tokens.read')) throw new AppError('forbidden', 'You may not see tokens.', { messageKey: 'errors.tokens.readForbidden' });
  return tokenDtoFor(viewer, id);
}
