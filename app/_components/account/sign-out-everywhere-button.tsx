'use client';
// Ends every session of the viewer on the server (other browsers, copies of the cookie, live
// streams), then clears this browser's cookie and goes to the sign-in page.
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { endSession } from '../auth/session-actions';
import { useJsonAction } from '../forms/use-json-action';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';

export function SignOutEverywhereButton() {
  const t = useTranslations('account');
  const router = useRouter();
  const action = useJsonAction();

  async function signOutEverywhere() {
    if (!(await action.run('DELETE', '/api/account/sessions'))) return;
    action.setPending(true);
    await endSession();
    router.replace('/login');
    router.refresh();
  }

  return (
    <div className="space-y-3">
      {action.error && <Alert tone="error">{action.error}</Alert>}
      <Button variant="secondary" disabled={action.pending} onClick={() => void signOutEverywhere()}>
        {action.pending ? t('signingOutEverywhere') : t('signOutEverywhere')}
      </Button>
    </div>
  );
}
