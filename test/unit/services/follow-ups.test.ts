import { describe, expect, it } from 'vitest';
import { dashboardDecision } from '../../../src/services/follow-ups.js';

describe('dashboardDecision', () => {
  const actor = 'dashboard:admin_token:seed';

  it('assigns an open follow-up without a line on the alert', () => {
    expect(dashboardDecision({ kind: 'assign', assignee: 'Dr. Reyes' }, actor)).toEqual({ change: { assignee: 'Dr. Reyes' }, requireOpen: true, auditAction: 'follow_up.assign' });
  });

  it('completes or dismisses through the same states and lines as chat, named as the dashboard names the actor', () => {
    expect(dashboardDecision({ kind: 'complete' }, actor)).toEqual({ change: { state: 'done' }, line: { action: 'mark_done', by: actor }, requireOpen: true, auditAction: 'follow_up.complete' });
    expect(dashboardDecision({ kind: 'dismiss' }, actor)).toEqual({ change: { state: 'dismissed' }, line: { action: 'dismiss', by: actor }, requireOpen: true, auditAction: 'follow_up.dismiss' });
  });

  it('adds a note with a line that says a note was added, never its words; an outcome goes with Done or Dismiss', () => {
    expect(dashboardDecision({ kind: 'note', note: 'Called; voicemail' }, actor)).toEqual({ change: { note: 'Called; voicemail' }, line: { action: 'add_note', by: actor }, requireOpen: true, auditAction: 'follow_up.note' });
    expect(dashboardDecision({ kind: 'complete', outcome: 'Review held' }, actor)).toMatchObject({ change: { state: 'done', outcome: 'Review held' }, line: { action: 'mark_done', by: actor } });
    expect(dashboardDecision({ kind: 'assign', assignee: null }, actor)).toMatchObject({ change: { assignee: null } });
  });
});
