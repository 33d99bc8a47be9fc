import type { Db } from '../db/database.js';

/** The admin API token stored under this hash (tokens are kept only as hashes), or null. */
export async function findApiToken(deps: { prisma: Db }, tokenHash: string) {
  return deps.prisma.apiToken.findUnique({ where: { tokenHash } });
}
