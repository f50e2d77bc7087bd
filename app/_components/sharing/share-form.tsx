'use client';
// Create a share: what (overview, account, watchlist), with whom (members, a team link, a public
// link), percent-only or not, and until when. A link is shown here once.
import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ShareCreatedDto } from '@/lib/sharing/dto';
import type { SharesPageDto } from '@/lib/sharing/get-shares-page';
import { MAX_SHARE_DAYS, SHARE_AUDIENCES, SHARE_SUBJECTS, type ShareAudience, type ShareSubject } from '@/lib/sharing/schema';
import { useJsonAction } from '../forms/use-json-action';
import { CopyField } from '../team/copy-field';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { SelectField, TextField } from '../ui/field';

const radio = 'mt-0.5 size-4 accent-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600';

export function ShareForm({ accounts, members }: Pick<SharesPageDto, 'accounts' | 'members'>) {
  const t = useTranslations('shares.form');
  const format = useFormatter();
  const router = useRouter();
  const form = useJsonAction();
  const [title, setTitle] = useState('');
  const [subject, setSubject] = useState<ShareSubject>('overview');
  const [account, setAccount] = useState(accounts[0] ? `${accounts[0].tokenId}|${accounts[0].accountId}` : '');
  const [instruments, setInstruments] = useState('');
  const [audience, setAudience] = useState<ShareAudience>('members');
  const [recipients, setRecipients] = useState<string[]>([]);
  const [percentagesOnly, setPercentagesOnly] = useState(false);
  const [days, setDays] = useState('7');
  const [created, setCreated] = useState<ShareCreatedDto | null>(null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const [tokenId, accountId] = account.split('|');
    const body = {
      title,
      subject,
      ...(subject === 'account' ? { tokenId, accountId } : {}),
      ...(subject === 'watchlist' ? { instrumentUids: instruments.split(/[\s,]+/).filter(Boolean) } : {}),
      audience,
      ...(audience === 'members' ? { recipientIds: recipients } : {}),
      percentagesOnly: audience === 'public_link' ? true : percentagesOnly,
      expiresInDays: Number(days),
    };
    const result = await form.run<ShareCreatedDto>('POST', '/api/shares', body);
    if (!result) return;
    setCreated(result.data);
    setTitle('');
    router.refresh();
  }

  return (
    <Card aria-labelledby="share-form-title" className="mb-6">
      <h2 id="share-form-title" className="text-base font-semibold text-slate-900">
        {t('title')}
      </h2>
      <p className="mt-1 mb-4 text-sm text-slate-600">{t('description')}</p>
      {created && (
        <div className="mb-5 space-y-3 rounded-md border border-emerald-300 bg-emerald-50 p-4" role="status">
          <p className="text-sm text-emerald-950">{t('created', { until: format.dateTime(new Date(created.share.expiresAt), { dateStyle: 'medium' }) })}</p>
          {created.url && (
            <>
              <CopyField label={t('link')} value={created.url} />
              <p className="text-xs text-emerald-900">{t('shownOnce')}</p>
            </>
          )}
          <Button variant="secondary" size="sm" onClick={() => setCreated(null)}>
            {t('done')}
          </Button>
        </div>
      )}
      <form onSubmit={submit} noValidate className="space-y-4">
        {form.error && <Alert tone="error">{form.error}</Alert>}
        <TextField label={t('name')} name="title" autoComplete="off" required value={title} onChange={(e) => setTitle(e.target.value)} error={form.fieldErrors.title} />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">{t('what')}</legend>
          {SHARE_SUBJECTS.map((value) => (
            <label key={value} className="flex items-start gap-2 text-sm text-slate-800">
              <input type="radio" name="subject" value={value} checked={subject === value} onChange={() => setSubject(value)} className={radio} />
              <span>{t(`subjects.${value}`)}</span>
            </label>
          ))}
        </fieldset>
        {subject === 'account' && (
          <SelectField label={t('account')} name="account" value={account} onChange={(e) => setAccount(e.target.value)} error={form.fieldErrors.accountId}>
            {accounts.map((option) => (
              <option key={`${option.tokenId}|${option.accountId}`} value={`${option.tokenId}|${option.accountId}`}>
                {option.name}
              </option>
            ))}
          </SelectField>
        )}
        {subject === 'watchlist' && (
          <TextField label={t('instruments')} name="instruments" hint={t('instrumentsHint')} autoComplete="off" value={instruments} onChange={(e) => setInstruments(e.target.value)} error={form.fieldErrors.instrumentUids} />
        )}
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">{t('with')}</legend>
          {SHARE_AUDIENCES.map((value) => (
            <label key={value} className="flex items-start gap-2 text-sm text-slate-800">
              <input type="radio" name="audience" value={value} checked={audience === value} onChange={() => setAudience(value)} className={radio} />
              <span>
                <span className="font-medium">{t(`audiences.${value}.label`)}</span>
                <span className="block text-xs text-slate-600">{t(`audiences.${value}.hint`)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {audience === 'public_link' && <Alert tone="info">{t('publicTerms')}</Alert>}
        {audience === 'members' && (
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium text-slate-800">{t('recipients')}</legend>
            <div className="max-h-48 space-y-1 overflow-y-auto rounded-md border border-slate-200 p-2">
              {members.length === 0 && <p className="text-sm text-slate-600">{t('noMembers')}</p>}
              {members.map((member) => (
                <label key={member.id} className="flex items-start gap-2 text-sm text-slate-800">
                  <input
                    type="checkbox"
                    name="recipient"
                    value={member.email}
                    checked={recipients.includes(member.id)}
                    onChange={(e) => setRecipients(e.target.checked ? [...recipients, member.id] : recipients.filter((id) => id !== member.id))}
                    className={radio}
                  />
                  <span className="min-w-0 break-words">
                    {member.name} <span className="text-slate-600">{member.email}</span>
                  </span>
                </label>
              ))}
            </div>
            {form.fieldErrors.recipientIds && <p className="text-sm text-red-700">{form.fieldErrors.recipientIds}</p>}
          </fieldset>
        )}
        <label className="flex items-start gap-2 text-sm text-slate-800">
          <input
            type="checkbox"
            name="percentagesOnly"
            checked={audience === 'public_link' || percentagesOnly}
            disabled={audience === 'public_link'}
            onChange={(e) => setPercentagesOnly(e.target.checked)}
            className={radio}
          />
          <span>
            <span className="font-medium">{t('percentagesOnly')}</span>
            <span className="block text-xs text-slate-600">{t('percentagesOnlyHint')}</span>
          </span>
        </label>
        <TextField
          label={t('days', { max: MAX_SHARE_DAYS })}
          name="expiresInDays"
          type="number"
          min={1}
          max={MAX_SHARE_DAYS}
          required
          value={days}
          onChange={(e) => setDays(e.target.value)}
          error={form.fieldErrors.expiresInDays}
        />
        <Button type="submit" disabled={form.pending}>
          {form.pending ? t('submitting') : t('submit')}
        </Button>
      </form>
    </Card>
  );
}
