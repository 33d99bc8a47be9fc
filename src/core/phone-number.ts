import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

/** A phone number as E.164 (+14155550123), or null when it is not a valid number. */
export function toE164(value: string): string | null {
  const parsed = parsePhoneNumberFromString(value.trim());
  return parsed?.isValid() ? parsed.number : null;
}

/** Staff input: a number in E.164 form, checked against the numbering plan of its country. */
export const e164Schema = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, { message: 'must be E.164, e.g. +14155550123' })
  .refine((value) => toE164(value) === value, { message: 'is not a valid phone number' });
