import { describe, expect, it } from 'vitest';
import { policySchema, resolvePolicy } from '../../../src/core/policy.js';
import { describePolicyFields, readPolicyForm } from '../../../src/web/policy-form.js';

const stored = resolvePolicy({});
/** What a browser would post for a policy: checked boxes only, lists of choices repeated, the ladder as rows, the weekly message as a day and a time. */
const asForm = (policy: Record<string, unknown>): Record<string, string | string[]> => {
  const kinds = new Map(describePolicyFields().map((f) => [f.name, f.kind]));
  const form: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(policy)) {
    const kind = kinds.get(name);
    if (kind === 'boolean') {
      if (value) form[name] = 'on';
    } else if (kind === 'checkboxes' || kind === 'programs') form[name] = value as string[];
    else if (kind === 'ladder') {
      const rows = value as { strikes: number; action: string }[];
      // The page always shows one empty row more.
      form.strikeLadderStrikes = [...rows.map((r) => String(r.strikes)), ''];
      form.strikeLadderAction = [...rows.map((r) => r.action), ''];
    } else if (kind === 'weekly') {
      const weekly = value as { weekday: number; time: string } | null;
      form.weeklyProgressDay = weekly ? String(weekly.weekday) : 'off';
      form.weeklyProgressTime = weekly?.time ?? '';
    } else if (kind === 'json') form[name] = JSON.stringify(value);
    else if (value !== undefined) form[name] = String(value);
  }
  return form;
};

describe('the policy form', () => {
  it('has one field per policy key, read off the schema', () => {
    const fields = describePolicyFields();
    expect(fields.map((f) => f.name)).toEqual(Object.keys(policySchema.shape));
    expect(fields.find((f) => f.name === 'lateAfterMinutes')).toMatchObject({ kind: 'number', min: 0, max: 240, integer: true });
    expect(fields.find((f) => f.name === 'nameDisplay')).toMatchObject({ kind: 'select', options: ['first_last_initial', 'initials', 'full'] });
    expect(fields.find((f) => f.name === 'excusedReasons')).toMatchObject({ kind: 'checkboxes' });
    expect(fields.find((f) => f.name === 'strikeLadder')).toMatchObject({ kind: 'ladder' });
    expect(fields.find((f) => f.name === 'makeUpPartnerProgramIds')).toMatchObject({ kind: 'programs' });
    expect(fields.find((f) => f.name === 'weeklyProgress')).toMatchObject({ kind: 'weekly' });
    expect(fields.filter((f) => f.kind === 'json')).toEqual([]);
    expect(fields.find((f) => f.name === 'recordingsShareable')).toMatchObject({ kind: 'boolean' });
    expect(fields.find((f) => f.name === 'techContact')).toMatchObject({ kind: 'text', optional: true });
  });

  it('reads an unchecked box as false and an optional text left empty as no value', () => {
    const form = asForm({ ...stored, techContact: 'IT help line' });
    delete form.noShowFollowUp;
    const first = readPolicyForm(form, stored).policy!;
    expect(first).toMatchObject({ noShowFollowUp: false, techContact: 'IT help line' });
    expect(readPolicyForm({ ...form, techContact: '' }, first).policy!.techContact).toBeUndefined();
  });

  it('round-trips the stored policy', () => {
    expect(readPolicyForm(asForm(stored), stored)).toMatchObject({ policy: stored, errors: {} });
  });

  it('reads no checked box as an empty list', () => {
    const { excusedReasons: _, ...rest } = asForm(stored);
    expect(readPolicyForm(rest, stored).policy?.excusedReasons).toEqual([]);
  });

  it.each([
    ['lateAfterMinutes', '500', 'Must be at most 240.'],
    ['lateAfterMinutes', '2.5', 'Must be a whole number.'],
    ['weeklyHoursRequired', '', 'Enter a number.'],
    ['lateAfterMinutes', '20', 'Must not be more than “No show after minutes”.'],
  ])('puts a bad %s (%j) on its own field', (name, value, message) => {
    const result = readPolicyForm({ ...asForm(stored), [name]: value }, stored);
    expect(result.policy).toBeUndefined();
    expect(result.errors).toEqual({ [name]: message });
  });

  it('reads the ladder rows, leaving out a row without a number and removing a step cleared', () => {
    const form = { ...asForm(stored), strikeLadderStrikes: ['2', '', '4', ''], strikeLadderAction: ['checkin', 'outreach', 'discharge_review', ''] };
    expect(readPolicyForm(form, stored).errors).toEqual({ strikeLadder: 'Enter the number of strikes for “Reach out”, or choose no action to leave the row out.' });
    form.strikeLadderAction[1] = '';
    expect(readPolicyForm(form, stored).policy!.strikeLadder).toEqual([
      { strikes: 2, action: 'checkin' },
      { strikes: 4, action: 'discharge_review' },
    ]);
  });

  it.each([
    [['3', '2'], ['outreach', 'checkin'], 'Each step needs more strikes than the step before it.'],
    [['0'], ['outreach'], '“0” is not a number of strikes from 1 to 50.'],
    [['two'], ['outreach'], '“two” is not a number of strikes from 1 to 50.'],
    [['2'], [''], 'Choose what to propose at 2 strikes.'],
    [['2'], ['remove_them'], 'Choose what to propose at 2 strikes.'],
  ])('puts a bad ladder (%j, %j) on the ladder, keeping the rows typed', (strikes, actions, message) => {
    const result = readPolicyForm({ ...asForm(stored), strikeLadderStrikes: strikes, strikeLadderAction: actions }, stored);
    expect(result.policy).toBeUndefined();
    expect(result.errors).toEqual({ strikeLadder: message });
  });

  it('takes partner programs only among the clinic’s other programs', () => {
    const partners = [{ id: '4a0f7a52-3f5e-4e43-9d3a-1b2c3d4e5f60', name: 'Adult IOP – Day' }];
    expect(readPolicyForm({ ...asForm(stored), makeUpPartnerProgramIds: [partners[0]!.id] }, stored, partners).policy!.makeUpPartnerProgramIds).toEqual([partners[0]!.id]);
    const foreign = readPolicyForm({ ...asForm(stored), makeUpPartnerProgramIds: ['9a0f7a52-3f5e-4e43-9d3a-1b2c3d4e5f69'] }, stored, partners);
    expect(foreign.errors).toEqual({ makeUpPartnerProgramIds: 'Choose among this clinic’s other programs.' });
  });

  it('reads the weekly progress message as a day and a time, or off', () => {
    expect(readPolicyForm({ ...asForm(stored), weeklyProgressDay: '5', weeklyProgressTime: '17:30:00' }, stored).policy!.weeklyProgress).toEqual({ weekday: 5, time: '17:30' });
    expect(readPolicyForm({ ...asForm(stored), weeklyProgressDay: 'off', weeklyProgressTime: '' }, stored).policy!.weeklyProgress).toBeNull();
    expect(readPolicyForm({ ...asForm(stored), weeklyProgressDay: '5', weeklyProgressTime: '' }, stored).errors).toEqual({ weeklyProgress: 'Enter a time, such as 09:00.' });
    expect(readPolicyForm({ ...asForm(stored), weeklyProgressDay: '8', weeklyProgressTime: '09:00' }, stored).errors).toEqual({ weeklyProgress: 'Choose a day, or Off.' });
  });
});
