import 'server-only';
// Requires single sign-on for everyone but one named break-glass owner, or lifts the requirement.
import { appendAudit } from '../audit/append-audit';
import { listSsoProviders } from '../auth/list-sso-providers';
import { requirePermission } from '../auth/session';
import { db } from '../db';
import { AppError } from '../errors';
import type { SsoPolicyDto } from './get-sso-policy';
import { lockTeamAs } from './lock-team';
import type { SsoPolicyInput } from './schema';

/** Stores the policy (owners only); requiring SSO needs a provider and an active owner as break-glass. */
export async function setSsoPolicy(input: SsoPolicyInput): Promise<SsoPolicyDto> {
  const viewer = await requirePermission('team.security');
  const providers = listSsoProviders();
  if (input.ssoRequired && providers.length === 0) throw new AppError('conflict', 'No single sign-on provider is configured, so it cannot be required.', { messageKey: 'errors.sso.noProviders' });
  return db().$transaction(async (tx) => {
    await lockTeamAs(tx, viewer.id, 'team.security');
    if (input.ssoRequired) {
      // Under the team lock, so the owner cannot be disabled or demoted between this check and the write.
      const breakGlass = input.breakGlassUserId ? await tx.user.findFirst({ where: { id: input.breakGlassUserId, role: 'owner', disabledAt: null }, select: { id: true } }) : null;
      if (!breakGlass) {
        throw new AppError('invalid', 'The break-glass account must be an active owner.', { messageKey: 'errors.sso.breakGlassNotOwner', fields: { breakGlassUserId: ['The break-glass account must be an active owner.'] }, fieldKeys: { breakGlassUserId: 'errors.sso.breakGlassNotOwner' } });
      }
    }
    const data = { ssoRequired: input.ssoRequired, breakGlassUserId: input.ssoRequired ? input.breakGlassUserId : null };
    await tx.teamSettings.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
    await appendAudit(tx, { action: 'team.sso_policy_changed', actor: { id: viewer.id, label: viewer.email }, targetId: data.breakGlassUserId, details: { ssoRequired: data.ssoRequired } });
    return { ...data, providers };
  });
}
