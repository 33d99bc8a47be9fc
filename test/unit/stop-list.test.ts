import { describe, expect, it } from 'vitest';
import { createStopList } from '../../src/stop-list.js';

describe('the stop list', () => {
  it('stops in reverse order of start, telling each whether to be graceful', async () => {
    const stopped: string[] = [];
    const stops = createStopList();
    stops.add((graceful) => void stopped.push(`database ${graceful}`));
    stops.add((graceful) => void stopped.push(`jobs ${graceful}`));
    stops.add(async () => void stopped.push('server'));
    await stops.stopAll(true);
    expect(stopped).toEqual(['server', 'jobs true', 'database true']);
    await stops.stopAll(true);
    expect(stopped).toHaveLength(3);
  });

  it('still closes what comes after a failing stop, then reports the first failure', async () => {
    const stopped: string[] = [];
    const stops = createStopList();
    stops.add(() => void stopped.push('database'));
    stops.add(() => {
      throw new Error('jobs would not stop');
    });
    stops.add(() => {
      throw new Error('server would not close');
    });
    await expect(stops.stopAll(false)).rejects.toThrow('server would not close');
    expect(stopped).toEqual(['database']);
  });
});
