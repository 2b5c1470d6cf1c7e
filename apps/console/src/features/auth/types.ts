/** The console's two roles, as Kiali's: an operator may write, a viewer only reads. */
export type Role = 'operator' | 'viewer';
export const ROLES = ['operator', 'viewer'] as const satisfies readonly Role[];

export interface Principal {
  user: string;
  role: Role;
}

/** GET /api/me: who the browser is, and how the console authenticates. */
export interface MeResponse {
  /** null: not signed in (token mode only; anonymous mode always has a principal). */
  principal: Principal | null;
  mode: 'anonymous' | 'token';
}
