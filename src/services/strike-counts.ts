import type { Db } from '../db/database.js';
import { loadStrikeSummaries } from './strikes.js';

/**
 * Strikes per participant of a program as the dashboard shows them: the count by the program's
 * rules (core/strikes.ts: unexcused no-shows and late strikes inside the window, staff decisions
 * applied). Callers only see participant id → count.
 */
export async function countStrikes(prisma: Db, input: { organizationId: string; programId: string; now: Date }): Promise<Map<string, number>> {
  const summaries = await loadStrikeSummaries(prisma, input.organizationId, input.programId, undefined, input.now);
  return new Map(summaries.filter((s) => s.strikes > 0).map((s) => [s.participantId, s.strikes]));
}
