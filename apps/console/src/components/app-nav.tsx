'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { UserBadge } from '@/features/auth/components/user-badge';
import '@/features/auth/components/auth.css';

export interface NavItem {
  href: string;
  label: string;
  /** Shown beside features that are not built yet, so nobody mistakes a placeholder for a bug. */
  soon?: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { href: '/', label: 'Overview' },
  { href: '/topology', label: 'Topology' },
  { href: '/traces', label: 'Traces' },
  { href: '/policies', label: 'Policies' },
  { href: '/proxies', label: 'Proxies' },
  { href: '/canary', label: 'Canary' },
  { href: '/security', label: 'mTLS' },
];

export function AppNav() {
  const pathname = usePathname();
  return (
    <nav className="nav" aria-label="Main">
      <ul>
        {NAV_ITEMS.map((item) => {
          const active = item.href === '/' ? pathname === '/' : pathname.startsWith(item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                className={active ? 'nav-link nav-link-active' : 'nav-link'}
                aria-current={active ? 'page' : undefined}
                data-testid={`nav-${item.label.toLowerCase()}`}
              >
                <span>{item.label}</span>
                {item.soon ? <span className="nav-soon">soon</span> : null}
              </Link>
            </li>
          );
        })}
      </ul>
      <UserBadge />
    </nav>
  );
}
