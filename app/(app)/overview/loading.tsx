// /overview while the accounts load
import { PageSkeleton } from '@/app/_components/portfolio/page-skeleton';

export default function Loading() {
  return <PageSkeleton />;
}
