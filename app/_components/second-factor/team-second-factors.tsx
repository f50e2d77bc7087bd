'use client';
// Owners, in Team settings: who must have a second factor, each member's factors, and a reset for
// someone who lost their device (asks the owner's own factor first, through the step-up dialog).
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TeamFactorsDto } from '@/lib/second-factor';
import { useJsonAction } from '../forms/use-json-action';
import { Alert } from '../ui/alert';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { SelectField } from '../ui/field';

const POLICIES = ['none', 'owners_admins', 'everyone'] as const;

export function TeamSecondFactors({ team }: { team: TeamFactorsDto }) {
  const t = useTranslations('secondFactor');
  const router = useRouter();
  const form = useJsonAction();
  const action = useJsonAction();
  const [policy, setPolicy] = useState(team.policy);
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    if (!(await form.run('PUT', '/api/team/second-factor', { policy }))) return;
    setSaved(true);
    router.refresh();
  }

  async function reset(member: { id: string; name: string }) {
    setNotice(null);
    const result = await action.run('POST', `/api/team/members/${member.id}/reset-factors`);
    setConfirming(null);
    if (!result) return;
    setNotice(t('reset.done', { name: member.name }));
    router.refresh();
  }

  return (
    <Card className="mt-6 p-5">
      <form onSubmit={save} noValidate className="space-y-4" aria-labelledby="second-factor-policy-title">
        <h2 id="second-factor-policy-title" className="text-base font-semibold">
          {t('policy.title')}
        </h2>
        <p className="text-sm text-slate-600">{t('policy.description')}</p>
        {form.error && <Alert tone="error">{form.error}</Alert>}
        {saved && <Alert tone="success">{t('policy.saved')}</Alert>}
        <SelectField label={t('policy.label')} value={policy} onChange={(event) => setPolicy(event.target.value as typeof policy)}>
          {POLICIES.map((value) => (
            <option key={value} value={value}>
              {t(`policy.${value}`)}
            </option>
          ))}
        </SelectField>
        <Button type="submit" disabled={form.pending}>
          {t('policy.save')}
        </Button>
      </form>
      <section aria-labelledby="member-factors-title" className="mt-6 border-t border-slate-100 pt-4">
        <h3 id="member-factors-title" className="text-sm font-semibold text-slate-900">
          {t('team.members')}
        </h3>
        {action.error && <Alert tone="error" className="mt-3">{action.error}</Alert>}
        {notice && <Alert tone="success" className="mt-3">{notice}</Alert>}
        <ul className="mt-2 divide-y divide-slate-100">
          {team.members.map((member) => (
            <li key={member.id} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
              <div className="min-w-0">
                <p className="font-medium break-words text-slate-900">
                  {member.name} {member.isYou && <span className="text-slate-600">({t('team.you')})</span>}
                </p>
                <p className="text-xs break-all text-slate-600">{member.email}</p>
                <p className="mt-1 text-xs text-slate-700">
                  {t('team.factorCount', { count: member.factors.length })}
                  {member.factors.length > 0 && `: ${member.factors.map((factor) => factor.name).join(', ')}`}
                </p>
                {member.missingRequired && (
                  <p className="mt-1">
                    <Badge tone="warn">{t('team.missing')}</Badge>
                  </p>
                )}
              </div>
              {!member.isYou && member.factors.length > 0 && confirming !== member.id && (
                <Button variant="secondary" size="sm" onClick={() => setConfirming(member.id)}>
                  {t('reset.action')}
                </Button>
              )}
              {confirming === member.id && (
                <div role="group" aria-label={t('reset.action')} className="w-full space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3">
                  <p>{t('reset.confirm', { name: member.name })}</p>
                  <div className="flex flex-wrap gap-2">
                    <Button variant="danger" size="sm" disabled={action.pending} onClick={() => void reset(member)}>
                      {t('reset.action')}
                    </Button>
                    <Button variant="ghost" size="sm" onClick={() => setConfirming(null)}>
                      {t('cancel')}
                    </Button>
                  </div>
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>
    </Card>
  );
}
