import type { Policy } from './policy.js';
import { markOf, type StrikeRecord } from './strike-marks.js';

export interface DropOutRun {
  misses: number;
  /** The first miss of the run: names it in dedupe keys. */
  firstSessionId?: string;
  startedAt?: Date;
}

/**
 * The participant's latest run of unexcused misses with no contact since its first miss. Any
 * session not missed (attended, late, excused, made up) ends a run; so does contact: a message or
 * button press to the bot, or an absence they reported (it counts as contact at the session it was
 * for, so reporting an unexcused absence is still contact).
 */
export function dropOutRun(records: readonly StrikeRecord[], contacts: readonly Date[], policy: Pick<Policy, 'shortStaysCountAsLates'>, at: Date): DropOutRun {
  const marked = records
    .filter((r) => r.startsAt.getTime() <= at.getTime())
    .map((r) => ({ ...r, mark: markOf(r, policy) }))
    .filter((r) => r.mark !== 'other')
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const lastContact = Math.max(-Infinity, ...contacts.filter((c) => c.getTime() <= at.getTime()).map((c) => c.getTime()));
  let misses = 0;
  let first: (typeof marked)[number] | undefined;
  for (let i = marked.length - 1; i >= 0; i--) {
    const record = marked[i]!;
    if (record.mark !== 'miss' || record.startsAt.getTime() <= lastContact) break;
    misses++;
    first = record;
  }
  return first ? { misses, firstSessionId: first.sessionId, startedAt: first.startsAt } : { misses: 0 };
}

