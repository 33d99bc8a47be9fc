import { describe, expect, it } from 'vitest';
import { orderCloseOutSteps } from '../../../src/services/close-out-order.js';

const step = (name: string) => ({ name, run: async () => {} });

describe('the close-out order', () => {
  it('reconciles first, then platform steps, strikes before the summary, care, and what a test adds last', () => {
    const steps = orderCloseOutSteps({
      reconcile: step('reconcile'),
      platforms: [step('zoom-recordings')],
      strikes: step('strikes'),
      summary: step('session-summary'),
      care: [step('make-ups'), step('no-show-follow-up')],
      extra: [step('test')],
    });
    expect(steps.map((s) => s.name)).toEqual(['reconcile', 'zoom-recordings', 'strikes', 'session-summary', 'make-ups', 'no-show-follow-up', 'test']);
  });
});
