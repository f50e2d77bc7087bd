// A statement while T-API answers
import { PageSkeleton } from '@/app/_components/portfolio/page-skeleton';

export default function Loading() {
  return <PageSkeleton rows={12} />;
}
