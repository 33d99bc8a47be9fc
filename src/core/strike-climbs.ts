import { countAt, type Marked, type StrikePolicy } from './strike-marks.js';

/** One continuous stretch during which the count stood at or above a rung: a climb. */
export interface Climb {
  startedAt: Date;
  /** The session whose strike took the count up to the rung: names the climb in dedupe keys. */
  triggerSessionId: string;
  /** Still going at `now`. */
  ongoing: boolean;
}

/** Every climb to each rung, walking the count through time: it changes only when a session starts or ages out. */
export function climbsOf(marked: readonly Marked[], policy: StrikePolicy, now: Date): Map<number, Climb[]> {
  const relevant = marked.filter((m) => m.mark === 'miss' || m.mark === 'late');
  const instants = [...new Set(relevant.flatMap((m) => [m.startsAt.getTime(), m.expiresAt.getTime()]))].filter((t) => t <= now.getTime()).sort((a, b) => a - b);
  const climbs = new Map<number, Climb[]>(policy.strikeLadder.map((rung) => [rung.strikes, []]));
  for (const t of instants) {
    const at = new Date(t);
    const { strikes } = countAt(marked, policy, at);
    const startingNow = relevant.filter((m) => m.startsAt.getTime() === t);
    for (const [rung, list] of climbs) {
      const last = list.at(-1);
      const above = strikes >= rung;
      if (above && !last?.ongoing && startingNow.length > 0) list.push({ startedAt: at, triggerSessionId: startingNow.at(-1)!.sessionId, ongoing: true });
      else if (!above && last?.ongoing) last.ongoing = false;
    }
  }
  return climbs;
}

