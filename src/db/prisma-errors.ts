/** Prisma's known request errors by code: P2002 unique violation ("already done"), P2025 not found. */
export function isPrismaError(error: unknown, code: 'P2002' | 'P2025' | 'P2003'): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
