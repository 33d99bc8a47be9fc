/** Prisma's known request errors by code: P2002 unique violation ("already done"), P2025 not found, P2003 foreign key, P2010 a raw query failed. */
export function isPrismaError(error: unknown, code: 'P2002' | 'P2025' | 'P2003' | 'P2010'): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
