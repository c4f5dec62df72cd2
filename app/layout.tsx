import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { Header } from '@/components/header';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Ingress Gate', template: '%s · Ingress Gate' },
  description: 'Reviewed, just-in-time, audited changes to Kubernetes Ingresses.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request's nonce (proxy.ts) makes every page render per request, which a nonce-based
  // CSP needs: Next puts this request's nonce on its scripts; a prerendered page would carry none.
  await headers().then((h) => h.get('x-nonce'));
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <Header />
        <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
          {children}
        </main>
      </body>
    </html>
  );
}
