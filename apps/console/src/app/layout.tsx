import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { AppNav } from '@/components/app-nav';
import { QueryProvider } from '@/lib/query-provider';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Trellis', template: '%s · Trellis' },
  description: 'Trellis service mesh console',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {/* The provider wraps the nav too: it shows who is signed in (GET /api/me). */}
        <QueryProvider>
          <div className="shell">
            <aside className="sidebar">
              <Link href="/" className="brand">
                <span className="brand-mark" aria-hidden="true" />
                Trellis
              </Link>
              <AppNav />
            </aside>
            <main className="content">{children}</main>
          </div>
        </QueryProvider>
      </body>
    </html>
  );
}
