import { describe, expect, it } from 'vitest';
import { createChannelLanes } from '../../../../src/platforms/slack/channel-lanes.js';

describe('channel lanes', () => {
  it('runs calls to one channel one after another, at least the interval apart, and other channels alongside', async () => {
    const inLane = createChannelLanes(20);
    const events: string[] = [];
    const starts = new Map<string, number>();
    const task = (name: string) => async () => {
      starts.set(name, performance.now());
      events.push(`start ${name}`);
      await Promise.resolve();
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([inLane('C1', task('a')), inLane('C1', task('b')), inLane('C2', task('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events.indexOf('end a')).toBeLessThan(events.indexOf('start b'));
    expect(events.indexOf('start c')).toBeLessThan(events.indexOf('start b'));
    // Timers may fire a millisecond or two early; the point is that b waited for the interval.
    expect(starts.get('b')! - starts.get('a')!).toBeGreaterThanOrEqual(15);
  });

  it('keeps the lane going after a failed call', async () => {
    const inLane = createChannelLanes(0);
    await expect(inLane('C1', async () => Promise.reject(new Error('channel_not_found')))).rejects.toThrow('channel_not_found');
    await expect(inLane('C1', async () => 'next')).resolves.toBe('next');
  });
});
