'use client';
// The viewer's shares: who sees each, until when, when it was last viewed and by whom, its view log;
// rotate a link (the new one is shown once) or revoke.
import { useFormatter, useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ShareCreatedDto, ShareDto } from '@/lib/sharing/dto';
import { useJsonAction } from '../forms/use-json-action';
import { CopyField } from '../team/copy-field';
import { Alert } from '../ui/alert';
import { Badge } from '../ui/badge';
import { Button, buttonClasses } from '../ui/button';
import { Card } from '../ui/card';

function ShareItem({ share }: { share: ShareDto }) {
  const t = useTranslations('shares.list');
  const format = useFormatter();
  const router = useRouter();
  const action = useJsonAction();
  const [link, setLink] = useState<string | null>(null);
  const open = !share.revokedAt && !share.expired;
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });

  async function rotate() {
    const result = await action.run<ShareCreatedDto>('POST', `/api/shares/${share.id}/rotate`);
    if (result) setLink(result.data.url);
    router.refresh();
  }
  async function revoke() {
    if (await action.run('DELETE', `/api/shares/${share.id}`)) setLink(null);
    router.refresh();
  }

  return (
    <li className="space-y-2 py-4" data-share={share.title}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="min-w-0 font-medium break-words text-slate-900">{share.title}</h3>
        <Badge>{t(`subjects.${share.subject}`)}</Badge>
        <Badge>{t(`audiences.${share.audience}`)}</Badge>
        {share.percentagesOnly && <Badge tone="good">{t('percentagesOnly')}</Badge>}
        {share.revokedAt ? <Badge tone="bad">{t('revoked')}</Badge> : share.expired ? <Badge tone="warn">{t('expired')}</Badge> : null}
      </div>
      <p className="text-sm text-slate-600">
        {share.accountName && <>{share.accountName} · </>}
        {share.audience === 'members' && <>{share.recipients.map((recipient) => recipient.name).join(', ')} · </>}
        {t('until', { date: when(share.expiresAt) })}
      </p>
      <p className="text-sm text-slate-700" data-testid="last-viewed">
        {share.lastViewedAt ? t('lastViewed', { date: when(share.lastViewedAt), by: share.lastViewerLabel ?? t('anonymous') }) : t('neverViewed')}
      </p>
      {share.views.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer text-slate-700">{t('viewLog', { count: share.views.length })}</summary>
          <ul className="mt-1 space-y-0.5 text-slate-600">
            {share.views.map((view, index) => (
              <li key={index} className="break-words">
                {when(view.at)} · {view.viewerLabel || t('anonymous')}
              </li>
            ))}
          </ul>
        </details>
      )}
      {action.error && <Alert tone="error">{action.error}</Alert>}
      {link && (
        <div className="space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-3" role="status">
          <CopyField label={t('newLink')} value={link} />
          <p className="text-xs text-emerald-900">{t('oldLinkDead')}</p>
        </div>
      )}
      {open && (
        <div className="flex flex-wrap gap-2">
          {share.audience === 'members' && (
            <Link href={`/shared/${share.id}`} className={buttonClasses('secondary', 'sm')}>
              {t('preview')}
            </Link>
          )}
          {share.audience !== 'members' && (
            <Button variant="secondary" size="sm" disabled={action.pending} onClick={rotate}>
              {t('rotate')}
            </Button>
          )}
          <Button variant="danger" size="sm" disabled={action.pending} onClick={revoke}>
            {t('revoke')}
          </Button>
        </div>
      )}
    </li>
  );
}

export function ShareList({ shares }: { shares: ShareDto[] }) {
  const t = useTranslations('shares.list');
  return (
    <Card aria-labelledby="share-list-title" className="mb-6">
      <h2 id="share-list-title" className="text-base font-semibold text-slate-900">
        {t('title')}
      </h2>
      {shares.length === 0 ? <p className="mt-2 text-sm text-slate-600">{t('none')}</p> : <ul className="divide-y divide-slate-100">{shares.map((share) => <ShareItem key={share.id} share={share} />)}</ul>}
    </Card>
  );
}
