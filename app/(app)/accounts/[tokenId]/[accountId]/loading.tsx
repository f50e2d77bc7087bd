// /accounts/… while the positions load
import { PageSkeleton } from '@/app/_components/portfolio/page-skeleton';

export default function Loading() {
  return <PageSkeleton rows={10} />;
}
