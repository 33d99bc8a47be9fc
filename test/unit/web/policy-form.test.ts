import { describe, expect, it } from 'vitest';
import { policySchema, resolvePolicy } from '../../../src/core/policy.js';
import { describePolicyFields, readPolicyForm } from '../../../src/web/policy-form.js';

const stored = resolvePolicy({});
/** What a browser would post for a policy: checked boxes only, lists of choices repeated, JSON for the rest. */
const asForm = (policy: Record<string, unknown>): Record<string, string | string[]> => {
  const kinds = new Map(describePolicyFields().map((f) => [f.name, f.kind]));
  const form: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(policy)) {
    const kind = kinds.get(name);
    if (kind === 'boolean') {
      if (value) form[name] = 'on';
    } else if (kind === 'checkboxes') form[name] = value as string[];
    else if (kind === 'json') form[name] = JSON.stringify(value);
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
    expect(fields.find((f) => f.name === 'strikeLadder')).toMatchObject({ kind: 'json' });
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
    ['strikeLadder', '[{', 'Enter valid JSON.'],
    ['lateAfterMinutes', '20', 'lateAfterMinutes must not exceed noShowAfterMinutes'],
  ])('puts a bad %s (%j) on its own field', (name, value, message) => {
    const result = readPolicyForm({ ...asForm(stored), [name]: value }, stored);
    expect(result.policy).toBeUndefined();
    expect(result.errors).toEqual({ [name]: message });
  });
});
