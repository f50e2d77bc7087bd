// Every signed-in page sits in the app shell. Signed out → /login (or /setup on first run);
// a temporary password → /account/password. Pages still authorize their own data.
import { AppShell } from '@/app/_components/shell/app-shell';
import { pageViewer } from '@/lib/auth/page-viewer';

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const viewer = await pageViewer();
  return <AppShell viewer={viewer}>{children}</AppShell>;
}
