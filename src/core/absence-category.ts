/**
 * Sorts a participant's absence reason into a category by keyword lists. Only the category is kept
 * for staff (`Absence reported` shows the category, never the participant's words).
 *
 * Each category scores the keywords found in the message (generic words such as "emergency" count
 * half); the highest score wins and ties go to the earlier category in `CATEGORY_PRIORITY`, so
 * "my kid is sick" is a family matter and "my car broke down on the way to work" is transport.
 */
export const ABSENCE_CATEGORIES = ['technical', 'illness', 'family_emergency', 'work_school', 'transport', 'other'] as const;
export type AbsenceCategory = (typeof ABSENCE_CATEGORIES)[number];

/** Tie-break order: someone else's need first, then the participant's health, then the rest. */
const CATEGORY_PRIORITY: Exclude<AbsenceCategory, 'other'>[] = ['family_emergency', 'illness', 'technical', 'transport', 'work_school'];

/** Keyword patterns (regular-expression source, matched as whole words on lower-cased text); weight 1 unless given. */
const KEYWORDS: Record<Exclude<AbsenceCategory, 'other'>, (string | [string, number])[]> = {
  technical: [
    'wi-?fi', 'internet', 'connection', 'connectivity', 'disconnect(?:ed|ing)?', 'laptop', 'computer', 'pc', 'tablet', 'ipad',
    'zoom', 'teams', 'camera', 'webcam', 'cam', 'mic', 'microphone', 'audio', 'sound', 'headphones?', 'headset',
    'power outage', 'outage', 'no power', 'power (?:is|went|\'s) out', 'blackout', 'router', 'modem', 'network', 'signal',
    'battery', 'charger', 'phone (?:is )?(?:dead|died|broke|broken|cracked)', 'screen', 'updates?', 'app', 'crash(?:ed|es|ing)?',
    'glitch(?:es|y)?', 'link', 'log ?in', 'password', 'technical', 'tech',
  ],
  illness: [
    'sick', 'ill', 'illness', 'unwell', 'not feeling well', 'under the weather', 'flu', 'fever', 'covid(?:-?19)?', 'cold',
    'cough(?:ing)?', 'sore throat', 'strep', 'pneumonia', 'infection', 'virus', 'doctor\'?s?', 'dr', 'hospital', 'hospitali[sz]ed',
    'emergency room', 'urgent care', '(?:the|an) er', 'clinic', 'surgery', 'medical', 'dentist', 'migraine', 'headache', 'nausea',
    'nauseous', 'vomit(?:ing)?', 'throwing up', 'stomach', 'injur(?:y|ed)', 'pain', 'contagious', ['appointment', 0.5],
  ],
  family_emergency: [
    'family', 'kids?', 'child(?:ren)?', 'son', 'daughter', 'baby', 'toddler', 'mom', 'mum', 'mother', 'dad', 'father',
    'parents?', 'grand(?:ma|pa|mother|father|parents?)', 'husband', 'wife', 'partner', 'spouse', 'brother', 'sister',
    'sibling', 'aunt', 'uncle', 'cousin', 'funeral', 'passed away', 'death', 'childcare', 'babysitter', 'daycare',
    'custody', 'pets?', 'dog', 'cat', 'vet', 'personal emergency', ['emergency', 0.5],
  ],
  work_school: [
    'work', 'working', 'job', 'shift', 'boss', 'manager', 'supervisor', 'overtime', 'employer', 'coworkers?',
    'office', 'interview', 'training', 'school', 'class(?:es)?', 'exams?', 'midterms?', 'finals?', 'homework', 'college',
    'university', 'campus', 'lecture', 'teacher', 'professor',
  ],
  transport: [
    'car', 'bus', 'ride', 'rides', 'uber', 'lyft', 'taxi', 'cab', 'transport', 'transportation', 'train', 'subway', 'metro',
    'traffic', 'flat tire', 'tire', 'broke down', 'out of gas', 'no gas', 'commute', 'flight', 'plane', 'airport', 'driving', 'travel(?:l?ing)?',
  ],
};

// "zoom isn't working" is a technical problem, not a job: such phrases are removed before work words are counted.
const MALFUNCTION = /(?:not|n't|nt|stopped|quit|stops)\s+work(?:ing|s)?\b/g;

const COMPILED = Object.fromEntries(
  Object.entries(KEYWORDS).map(([category, words]) => [
    category,
    words.map((word) => {
      const [source, weight] = typeof word === 'string' ? [word, 1] : word;
      return { regex: new RegExp(`(?<![a-z0-9])${source.replace(/ /g, '\\s+')}(?![a-z0-9])`), weight };
    }),
  ]),
) as Record<Exclude<AbsenceCategory, 'other'>, { regex: RegExp; weight: number }[]>;

function normalize(text: string): string {
  return text.normalize('NFKC').replace(/[\u2018\u2019\u02BC`]/g, "'").toLowerCase().replace(/\s+/g, ' ');
}

/** The category of an absence reason, `other` when no keyword matches. */
export function categorizeAbsenceReason(text: string): AbsenceCategory {
  // "ER" (the emergency room) only in capitals: lower-case "er" is a filler word.
  const normalized = `${normalize(text)}${/\bER\b/.test(text) ? ' emergency room' : ''}`;
  let best: AbsenceCategory = 'other';
  let bestScore = 0;
  for (const category of CATEGORY_PRIORITY) {
    const haystack = category === 'work_school' ? normalized.replace(MALFUNCTION, ' ') : normalized;
    const score = COMPILED[category].reduce((sum, { regex, weight }) => sum + (regex.test(haystack) ? weight : 0), 0);
    if (score > bestScore) [best, bestScore] = [category, score];
  }
  return best;
}
