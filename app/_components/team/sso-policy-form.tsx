'use client';
// Owners require single sign-on here, naming the one owner who keeps a password for emergencies.
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useJsonAction } from '../forms/use-json-action';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { SelectField } from '../ui/field';

interface Props {
  policy: { ssoRequired: boolean; breakGlassUserId: string | null; providers: { id: string; label: string }[] };
  owners: { id: string; name: string; email: string }[];
}

export function SsoPolicyForm({ policy, owners }: Props) {
  const t = useTranslations('sso.policy');
  const router = useRouter();
  const form = useJsonAction();
  const [required, setRequired] = useState(policy.ssoRequired);
  const [breakGlass, setBreakGlass] = useState(policy.breakGlassUserId ?? owners[0]?.id ?? '');
  const [saved, setSaved] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    const result = await form.run('PUT', '/api/team/sso', { ssoRequired: required, breakGlassUserId: required ? breakGlass || null : null });
    if (!result) return;
    setSaved(true);
    router.refresh();
  }

  return (
    <Card className="mt-6 p-5">
      <form onSubmit={submit} noValidate className="space-y-4" aria-labelledby="sso-policy-title">
        <h2 id="sso-policy-title" className="text-base font-semibold">
          {t('title')}
        </h2>
        <p className="text-sm text-slate-600">{policy.providers.length ? t('description', { label: policy.providers.map((p) => p.label).join(', ') }) : t('noProviders')}</p>
        {form.error && <Alert tone="error">{form.error}</Alert>}
        {saved && <Alert tone="success">{t('saved')}</Alert>}
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={required} disabled={!policy.providers.length} onChange={(e) => setRequired(e.target.checked)} />
          {t('require')}
        </label>
        {required && (
          <SelectField label={t('breakGlass')} hint={t('breakGlassHint')} value={breakGlass} onChange={(e) => setBreakGlass(e.target.value)} error={form.fieldErrors.breakGlassUserId}>
            {owners.map((owner) => (
              <option key={owner.id} value={owner.id}>
                {owner.name} ({owner.email})
              </option>
            ))}
          </SelectField>
        )}
        <Button type="submit" disabled={form.pending || !policy.providers.length}>
          {form.pending ? t('saving') : t('save')}
        </Button>
      </form>
    </Card>
  );
}
