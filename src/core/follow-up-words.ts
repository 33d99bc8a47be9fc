/**
 * FollowUps said in words for staff pages: what is proposed (the ladder's actions) and why (the
 * rule that opened it). The stored codes (`formal_review`, `ladder:3`) never reach a page.
 */

/** Each ladder action as the settings form offers it and as a follow-up's reason ends. */
export const FOLLOW_UP_ACTION_WORDS: Record<string, string> = {
  outreach: 'Reach out',
  checkin: 'Check-in with a facilitator',
  formal_review: 'Formal review',
  discharge_review: 'Discharge review',
};

/** The action in a sentence ("— formal review"); an unknown kind is a plain follow-up. */
export function followUpActionWords(kind: string): string {
  const words = FOLLOW_UP_ACTION_WORDS[kind];
  return words ? words.charAt(0).toLowerCase() + words.slice(1) : 'follow-up';
}

export interface FollowUpReasonInput {
  kind: string;
  /** `ladder:<strikes>`, `dropout`, or null for one staff opened. */
  rule: string | null;
  /** The program's strikeWindowDays. */
  windowDays: number;
  /** The program's consecutiveMissesForReview: how many misses in a row a drop-out is. */
  missesInARow: number;
}

/** "3 strikes in 30 days — formal review", "Stopped coming (3 missed in a row) — formal review", "Opened by staff — reach out". */
export function describeFollowUpReason(input: FollowUpReasonInput): string {
  const action = followUpActionWords(input.kind);
  const rung = input.rule ? /^ladder:(\d+)$/.exec(input.rule) : null;
  if (rung) {
    const strikes = Number(rung[1]);
    return `${strikes} ${strikes === 1 ? 'strike' : 'strikes'} in ${input.windowDays} days — ${action}`;
  }
  if (input.rule === 'dropout') return `Stopped coming (${input.missesInARow} missed in a row, no contact) — ${action}`;
  if (input.rule) return `Proposed by the attendance rules — ${action}`;
  return `Opened by staff — ${action}`;
}
