// Stand-in for next/dynamic in the benchmark bundle: React.lazy + Suspense, same loading element.
import { createElement, lazy, Suspense, type ComponentType } from 'react';

export default function dynamic<P extends object>(loader: () => Promise<ComponentType<P>>, opts?: { loading?: ComponentType }) {
  const Lazy = lazy(() => loader().then((c) => ({ default: c })));
  return function Dynamic(props: P) {
    return createElement(
      Suspense,
      { fallback: opts?.loading ? createElement(opts.loading) : null },
      createElement(Lazy as ComponentType<P>, props),
    );
  };
}
