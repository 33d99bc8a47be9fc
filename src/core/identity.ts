import type { Platform } from './presence-event.js';

export type IdentityKind = 'user_id' | 'email' | 'registrant_id' | 'customer_key' | 'alias' | 'aad_object_id';

/** The kind a bare platform id names when the caller does not say. */
export function defaultIdentityKind(platform: Platform): IdentityKind {
  return platform === 'teams' ? 'aad_object_id' : 'user_id';
}

/** Display names are typed by people: compare them case-, width- and spacing-insensitively. */
export function normalizeDisplayName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-US');
}

export function normalizeIdentityValue(kind: IdentityKind | string, value: string): string {
  if (kind === 'email') return value.trim().toLowerCase();
  if (kind === 'alias') return normalizeDisplayName(value);
  return value.trim();
}
