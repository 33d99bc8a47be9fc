import { describe, expect, it } from 'vitest';
import { ALERT_ACTION_IDS } from '../../../../src/core/alert-kinds.js';
import { NOT_STAFF, performStaffAction, type StaffActionDeps } from '../../../../src/services/staff-actions.js';
import { STAFF_ACTION_HANDLERS } from '../../../../src/services/staff-actions/staff-action-handlers.js';

const STAFF = { platform: 'slack', userId: 'U0STAFF', label: 'Dana' } as const;

/** Only the reads that find the alert and its program; any write would throw (no `$transaction`). */
function depsWith(alert: Record<string, unknown> | null): StaffActionDeps {
  const prisma = {
    alert: { findUnique: async () => alert },
    program: { findFirst: async () => ({ id: 'program-1', organizationId: 'org-1', staffUserIds: ['U0STAFF'], timezone: 'UTC', policy: {} }) },
  };
  return { prisma, clock: { now: () => new Date('2026-11-28T18:00:00Z'), toRealTime: (at: Date) => at } } as unknown as StaffActionDeps;
}

const strikeAlert = (over: Record<string, unknown> = {}) => ({ id: 'alert-1', organizationId: 'org-1', programId: 'program-1', session: null, sessionId: null, participantId: 'p-1', subjectKey: 'p-1', kind: 'strike', detail: {}, ...over });

describe('performStaffAction', () => {
  it('has a handler for every button an alert can show', () => {
    expect(Object.keys(STAFF_ACTION_HANDLERS).sort()).toEqual([...ALERT_ACTION_IDS].sort());
  });

  it('tells the presser when the alert is gone, or when they are not the program’s staff', async () => {
    expect(await performStaffAction(depsWith(null), { alertId: 'alert-1', action: 'reach_out', actor: STAFF })).toEqual({ type: 'refused', text: 'That alert no longer exists.' });
    const stranger = { ...STAFF, userId: 'U0OTHER' };
    expect(await performStaffAction(depsWith(strikeAlert()), { alertId: 'alert-1', action: 'reach_out', actor: stranger })).toEqual({ type: 'refused', text: NOT_STAFF });
  });

  it('asks for the reason before marking excused', async () => {
    const outcome = await performStaffAction(depsWith(strikeAlert()), { alertId: 'alert-1', action: 'excuse', actor: STAFF });
    expect(outcome).toMatchObject({ type: 'choose', title: 'Mark excused', label: 'Reason' });
    expect(outcome.type === 'choose' && outcome.options.map((o) => o.value)).toContain('illness');
  });

  it('refuses to reach out about an alert that names no participant', async () => {
    const outcome = await performStaffAction(depsWith(strikeAlert({ participantId: null })), { alertId: 'alert-1', action: 'reach_out', actor: STAFF });
    expect(outcome).toEqual({ type: 'refused', text: 'This alert is not about a known participant.' });
  });
});
