// /tokens/:id while the token loads: the page's shape, announced politely.
export default function TokenLoading() {
  return (
    <div role="status" aria-busy="true" className="animate-pulse space-y-4">
      <div className="h-8 w-40 rounded bg-slate-200" />
      <div className="h-4 w-2/3 rounded bg-slate-200" />
      <div className="h-40 rounded-lg bg-slate-100" />
      <div className="h-24 rounded-lg bg-slate-100" />
    </div>
  );
}
