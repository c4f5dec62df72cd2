/** A page the viewer may not see: the operation's sentence, in place of the page. */
export function ForbiddenNote({ children }: { children: string }) {
  return (
    <p role="alert" data-testid="forbidden" className="rounded border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
      {children}
    </p>
  );
}
