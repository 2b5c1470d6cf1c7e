import { logout } from '@/features/auth/server/login';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  return logout(req);
}
