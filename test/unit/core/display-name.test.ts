import { describe, expect, it } from 'vitest';
import { displayLabel } from '../../../src/core/display-name.js';

describe('displayLabel', () => {
  it.each([
    ['Jordan Alvarez', 'Jordan A.', 'J.A.', 'Jordan Alvarez'],
    ['  Jordan   Alvarez  ', 'Jordan A.', 'J.A.', 'Jordan Alvarez'],
    ['Jordan', 'Jordan', 'J.', 'Jordan'],
    ['jordan alvarez', 'jordan A.', 'J.A.', 'jordan alvarez'],
    ['Mary Ann Lee', 'Mary L.', 'M.L.', 'Mary Ann Lee'],
    ['Mary-Jane Smith-Jones', 'Mary-Jane S.', 'M.S.', 'Mary-Jane Smith-Jones'],
    ['Alvarez, Jordan', 'Jordan A.', 'J.A.', 'Alvarez, Jordan'],
    ['Jordan Alvarez, Jr.', 'Jordan A.', 'J.A.', 'Jordan Alvarez, Jr.'],
    ['Jordan Alvarez III', 'Jordan A.', 'J.A.', 'Jordan Alvarez III'],
    ["Siobhán O'Brien", 'Siobhán O.', 'S.O.', "Siobhán O'Brien"],
    ['Zoë Ørsted', 'Zoë Ø.', 'Z.Ø.', 'Zoë Ørsted'],
    ['Zoe\u0308 E\u0301mile', 'Zoë É.', 'Z.É.', 'Zoë Émile'],
    ['Łukasz Żółć', 'Łukasz Ż.', 'Ł.Ż.', 'Łukasz Żółć'],
    ['Андрей Иванов', 'Андрей И.', 'А.И.', 'Андрей Иванов'],
    ['山田 太郎', '山田 太.', '山.太.', '山田 太郎'],
    ['Jordan (Jo) Alvarez 🌻', 'Jordan A.', 'J.A.', 'Jordan (Jo) Alvarez 🌻'],
    ['Jordan\tAlvarez\n', 'Jordan A.', 'J.A.', 'Jordan Alvarez'],
  ])('%j → %j, %j, %j', (name, firstLastInitial, initials, full) => {
    expect(displayLabel(name, 'first_last_initial')).toBe(firstLastInitial);
    expect(displayLabel(name, 'initials')).toBe(initials);
    expect(displayLabel(name, 'full')).toBe(full);
  });

  it.each([
    ['', 'first_last_initial', 'Unknown participant'],
    ['   ', 'full', 'Unknown participant'],
    ['+1 555 123 4567', 'first_last_initial', 'Unknown participant'],
    ['+1 555 123 4567', 'initials', 'Unknown participant'],
    ['🌻', 'full', '🌻'],
  ] as const)('%j with %s → %j (no letters: nothing that names a person)', (name, mode, label) => {
    expect(displayLabel(name, mode)).toBe(label);
  });
});
