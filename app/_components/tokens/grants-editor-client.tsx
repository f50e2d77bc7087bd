'use client';
// Who may use the token: grant a member (optionally only some accounts) or take the right away.
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TokenDto } from '@/lib/custody/dto';
import type { GrantCandidateDto } from '@/lib/custody/get-token-page';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { SelectField } from '../ui/field';
import { useTokenRequest } from './use-token-request';

export function GrantsEditorClient({ token, candidates }: { token: TokenDto; candidates: GrantCandidateDto[] }) {
  const t = useTranslations('tokenDetail');
  const tapi = useTranslations('tapiTokens.grants');
  const router = useRouter();
  const request = useTokenRequest();
  const [userId, setUserId] = useState('');
  const [accountIds, setAccountIds] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);

  async function grant(event: React.FormEvent) {
    event.preventDefault();
    const person = candidates.find((candidate) => candidate.id === userId);
    if (!person) return;
    setNotice(null);
    const result = await request.run<TokenDto>('PUT', `/api/tokens/${token.id}/grants/${userId}`, { accountIds });
    if (!result) return;
    setNotice(t('grantSaved', { name: person.name }));
    setUserId('');
    setAccountIds([]);
    router.refresh();
  }

  async function revoke(member: TokenDto['allowedMembers'][number]) {
    setNotice(null);
    const result = await request.run<TokenDto>('DELETE', `/api/tokens/${token.id}/grants/${member.userId}`);
    if (!result) return;
    setNotice(t('grantRemoved', { name: member.name }));
    router.refresh();
  }

  return (
    <Card aria-labelledby="grants-title">
      <h2 id="grants-title" className="text-base font-semibold text-slate-900">
        {t('grantsTitle')}
      </h2>
      <p className="mt-1 text-xs text-slate-600">{t('grantsBody')}</p>
      {token.allowedMembers.length > 0 && (
        <ul className="mt-3 divide-y divide-slate-100">
          {token.allowedMembers.map((member) => (
            <li key={member.userId} aria-label={member.name} className="flex items-center justify-between gap-2 py-2 text-sm">
              <span className="min-w-0">
                <span className="font-medium">{member.name}</span>
                <span className="block text-xs text-slate-600">{member.accountIds.length === 0 ? t('allAccounts') : `${t('someAccounts')} ${member.accountIds.join(', ')}`}</span>
              </span>
              <Button size="sm" variant="secondary" disabled={request.pending} onClick={() => void revoke(member)}>
                {t('grantRemove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {candidates.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">{t('noCandidates')}</p>
      ) : (
        <form className="mt-3 space-y-3" onSubmit={(event) => void grant(event)}>
          <SelectField label={t('grantMember')} value={userId} onChange={(event) => setUserId(event.target.value)}>
            <option value="">{t('choose')}</option>
            {candidates.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name} ({candidate.email})
              </option>
            ))}
          </SelectField>
          {token.accounts.length > 0 && (
            <fieldset>
              <legend className="text-sm font-medium text-slate-800">{t('grantAccounts')}</legend>
              {/* An H2H token works for one company: a grant without accounts is a grant by company. */}
              {token.tapi && <p className="text-xs text-slate-600">{tapi('wholeCompany', { name: token.tapi.company.name ?? `INN ${token.tapi.company.inn}` })}</p>}
              <div className="mt-1 space-y-1">
                {token.accounts.map((account) => (
                  <label key={account.id} className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      checked={accountIds.includes(account.id)}
                      onChange={(event) => setAccountIds((current) => (event.target.checked ? [...current, account.id] : current.filter((id) => id !== account.id)))}
                    />
                    <span className="font-mono text-xs break-all">{account.id}</span> <span className="text-xs text-slate-600">{account.name}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          <Button type="submit" size="sm" disabled={request.pending || !userId}>
            {t('grantSave')}
          </Button>
        </form>
      )}
      <div aria-live="polite" className="mt-2">
        {notice && <Alert tone="success">{notice}</Alert>}
        {request.error && <Alert tone="error">{request.error}</Alert>}
      </div>
    </Card>
  );
}
