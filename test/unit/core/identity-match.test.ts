import { describe, expect, it } from 'vitest';
import { matchIdentity, type ExpectedParticipant } from '../../../src/core/identity-match.js';

const expected: ExpectedParticipant[] = [
  { participantId: 'p-jordan', name: 'Jordan Alvarez', email: 'jordan@example.org', identities: [{ platform: 'zoom', kind: 'registrant_id', value: 'REG-J' }] },
  { participantId: 'p-sam1', name: 'Sam Lee', email: null, identities: [{ platform: 'zoom', kind: 'user_id', value: 'zoom-sam' }] },
  { participantId: 'p-sam2', name: 'Sam  LEE', email: null, identities: [] },
  { participantId: 'p-riley', name: 'Riley Chen', email: null, identities: [{ platform: 'zoom', kind: 'alias', value: 'rc iphone' }, { platform: 'zoom', kind: 'customer_key', value: 'ck-riley' }] },
  { participantId: 'p-alex', name: 'Alex Kim', email: null, identities: [{ platform: 'teams', kind: 'aad_object_id', value: 'aad-alex' }] },
];

describe('matchIdentity', () => {
  it.each([
    ['registrant id first, even under another name', { key: 'k', registrantId: 'REG-J', displayName: 'Riley Chen' }, { participantId: 'p-jordan', by: 'registrant_id' }],
    ['customer key', { key: 'k', customerKey: 'ck-riley' }, { participantId: 'p-riley', by: 'customer_key' }],
    ['account user id', { key: 'k', userId: 'zoom-sam', displayName: 'Someone' }, { participantId: 'p-sam1', by: 'user_id' }],
    ['email, case-insensitive', { key: 'k', email: ' JORDAN@example.org ' }, { participantId: 'p-jordan', by: 'email' }],
    ['a learned alias', { key: 'k', displayName: 'RC  iPhone' }, { participantId: 'p-riley', by: 'alias' }],
    ['a display name only one expected person has', { key: 'k', displayName: 'jordan alvarez' }, { participantId: 'p-jordan', by: 'display_name' }],
  ])('matches by %s', (_label, person, match) => {
    expect(matchIdentity('zoom', person, expected)).toEqual(match);
  });

  it.each([
    ['a display name two expected people share', { key: 'k', displayName: 'Sam Lee' }],
    ['a name nobody has', { key: 'k', displayName: 'Guest 1234' }],
    ['no name at all (masked by the platform)', { key: 'k' }],
    ['an id of another platform', { key: 'k', userId: 'aad-alex' }],
    ['an unknown email', { key: 'k', email: 'stranger@example.org' }],
  ])('does not guess for %s', (_label, person) => {
    expect(matchIdentity('zoom', person, expected)).toBeNull();
  });

  it('matches a Teams AAD object id as the account id', () => {
    expect(matchIdentity('teams', { key: 'k', userId: 'aad-alex' }, expected)).toEqual({ participantId: 'p-alex', by: 'user_id' });
  });
});
