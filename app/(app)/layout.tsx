// Every signed-in page sits in the app shell. Signed out → /login (or /setup on first run);
// a temporary password → /account/password. Pages still authorize their own data.
import { AppShell } from '@/app/_components/shell/app-shell';
import { pageViewer } from '@/lib/auth/page-viewer';
import { can } from '@/lib/auth/permissions';
import { listExpiringTokens } from '@/lib/custody/list-expiring-tokens';

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const viewer = await pageViewer();
  // The expiry warning: tokens the viewer can see that die soon, have died, or were rejected.
  const expiring = can(viewer.role, 'tokens.read') ? await listExpiringTokens(viewer) : [];
  return (
    <AppShell viewer={viewer} expiring={expiring}>
      {children}
    </AppShell>
  );
}
