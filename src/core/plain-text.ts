import { z } from 'zod';
import { hasControlCharacters } from './platform-text.js';

/**
 * A string typed by staff (a name, a reason, a note): trimmed, bounded, and refused when it holds NUL
 * or another control character. PostgreSQL rejects NUL in text, so without this such input was a 500;
 * the 400 names the field instead. Tab and newline stay allowed for notes.
 */
export function plainText(maxLength: number, options: { minLength?: number } = {}) {
  return z
    .string()
    .trim()
    .min(options.minLength ?? 1)
    .max(maxLength)
    .refine((value) => !hasControlCharacters(value), { message: 'must not contain control characters' });
}
