import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="space-y-2">
      <h1 className="text-xl font-semibold">No such change request</h1>
      <p className="text-sm text-slate-600">It does not exist, or it is in an environment you cannot see.</p>
      <Link href="/" className="text-blue-800 hover:underline">
        Back to requests
      </Link>
    </div>
  );
}
