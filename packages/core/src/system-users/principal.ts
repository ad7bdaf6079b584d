/** Who is behind a URFA or Stream session. */
export type Principal =
  | { readonly kind: 'system'; readonly id: number; readonly login: string; readonly groups: readonly number[] }
  | { readonly kind: 'dealer'; readonly id: number; readonly login: string }
  | { readonly kind: 'customer'; readonly id: number; readonly login: string };
