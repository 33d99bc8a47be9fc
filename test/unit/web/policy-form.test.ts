import { describe, expect, it } from 'vitest';
import { policySchema, resolvePolicy } from '../../../src/core/policy.js';
import { describePolicyFields, readPolicyForm } from '../../../src/web/policy-form.js';

const stored = resolvePolicy({});
const asForm = (policy: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(policy).map(([k, v]) => [k, Array.isArray(v) && typeof v[0] !== 'object' ? (v as string[]) : typeof v === 'object' ? JSON.stringify(v) : String(v)]));

describe('the policy form', () => {
  it('has one field per policy key, read off the schema', () => {
    const fields = describePolicyFields();
    expect(fields.map((f) => f.name)).toEqual(Object.keys(policySchema.shape));
    expect(fields.find((f) => f.name === 'lateAfterMinutes')).toMatchObject({ kind: 'number', min: 0, max: 240, integer: true });
    expect(fields.find((f) => f.name === 'nameDisplay')).toMatchObject({ kind: 'select', options: ['first_last_initial', 'initials', 'full'] });
    expect(fields.find((f) => f.name === 'excusedReasons')).toMatchObject({ kind: 'checkboxes' });
    expect(fields.find((f) => f.name === 'strikeLadder')).toMatchObject({ kind: 'json' });
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
