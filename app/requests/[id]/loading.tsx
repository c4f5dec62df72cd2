export default function Loading() {
  return (
    <div role="status" aria-label="Loading the request" className="space-y-4">
      <div className="h-8 w-2/3 animate-pulse rounded bg-slate-200" />
      <div className="h-5 w-1/2 animate-pulse rounded bg-slate-200" />
      <div className="h-96 animate-pulse rounded-lg border border-slate-200 bg-white" />
      <span className="sr-only">Loading…</span>
    </div>
  );
}
