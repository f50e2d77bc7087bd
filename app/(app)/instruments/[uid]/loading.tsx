// /instruments/[uid] while the candles load
import { PageSkeleton } from '@/app/_components/portfolio/page-skeleton';

export default function Loading() {
  return <PageSkeleton rows={8} />;
}
