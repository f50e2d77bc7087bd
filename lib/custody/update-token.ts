import 'server-only';
// PATCH a token: name and purpose, keep-alive, and its policy (which call classes it may make).
// Turning trading on is an owner's decision and is audited as such.
import { accessChanged } from '../auth/access-changed';
import { can } from '../auth/permissions';
import { AppError } from '../errors';
import type { TokenDto } from './dto';
import { assertCan, mutateToken, type Actor, type AuditRecord } from './mutate-token';
import { CALL_CLASSES, REQUIRED_CLASS } from './policy';
import { updateTokenSchema, type UpdateTokenInput } from './schema';

/** Applies the fields given; each kind of change writes its own audit record. */
export async function updateToken(viewer: Actor, id: string, input: UpdateTokenInput): Promise<TokenDto> {
  const patch = updateTokenSchema.parse(input);
  if (patch.label !== undefined || patch.purpose !== undefined || patch.allowedClasses !== undefined) {
    assertCan(viewer, 'tokens.manage', 'Only owners and admins can change a token.', 'errors.tokens.updateForbidden');
  }
  const token = await mutateToken(viewer, id, async (tx, row) => {
    const records: AuditRecord[] = [];
    const data: { label?: string; purpose?: string; keepAlive?: boolean; allowedClasses?: string[] } = {};
    const retired = row.state === 'retired';

    if ((patch.label !== undefined && patch.label !== row.label) || (patch.purpose !== undefined && patch.purpose !== row.purpose)) {
      data.label = patch.label ?? row.label;
      data.purpose = patch.purpose ?? row.purpose;
      records.push({ action: 'token.renamed', details: { from: row.label, to: data.label, purposeChanged: data.purpose !== row.purpose } });
    }

    if (patch.keepAlive !== undefined && patch.keepAlive !== row.keepAlive) {
      if (viewer.role !== 'owner' && row.ownerId !== viewer.id) throw new AppError('forbidden', "Only an owner or the token's depositor can change keep-alive.", { messageKey: 'errors.tokens.keepAliveForbidden' });
      if (retired) throw new AppError('conflict', 'This token was retired.', { messageKey: 'errors.tokens.retired' });
      data.keepAlive = patch.keepAlive;
      records.push({ action: 'token.keep_alive_changed', details: { keepAlive: patch.keepAlive } });
    }

    if (patch.allowedClasses !== undefined) {
      const next = CALL_CLASSES.filter((callClass) => patch.allowedClasses!.includes(callClass));
      const before = row.allowedClasses;
      if (!next.includes(REQUIRED_CLASS)) {
        throw new AppError('invalid', 'Account calls cannot be turned off: checking the token needs them.', {
          fields: { allowedClasses: ['Keep "accounts" allowed.'] },
          messageKey: 'errors.tokens.accountsRequired',
          fieldKeys: { allowedClasses: 'errors.tokens.keepAccounts' },
        });
      }
      const tradingOn = next.includes('trading') && !before.includes('trading');
      const tradingOff = !next.includes('trading') && before.includes('trading');
      const others = (list: readonly string[]) => list.filter((callClass) => callClass !== 'trading').sort().join(',');
      if (tradingOn || tradingOff || others(next) !== others(before)) {
        if (retired) throw new AppError('conflict', 'This token was retired.', { messageKey: 'errors.tokens.retired' });
        if (tradingOn && !can(viewer.role, 'tokens.trading')) throw new AppError('forbidden', 'Only an owner can turn trading on for a token.', { messageKey: 'errors.tokens.tradingForbidden' });
        data.allowedClasses = next;
        if (tradingOn) records.push({ action: 'token.trading_enabled', details: { kind: row.kind } });
        if (tradingOff) records.push({ action: 'token.trading_disabled', details: {} });
        if (others(next) !== others(before)) records.push({ action: 'token.policy_changed', details: { from: before, to: next } });
      }
    }

    if (records.length === 0) return null;
    await tx.token.update({ where: { id }, data });
    return records;
  });
  // Turning 'streams' off ends live data through this token.
  if (patch.allowedClasses !== undefined) await accessChanged();
  return token;
}
