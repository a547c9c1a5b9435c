/** A way for a chargé·e to reach the structure's contact person: an e-mail and/or a phone. */
export interface ContactPoint {
  email?: string;
  phone?: string;
}

export const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
// French numbers: 0X XX XX XX XX or +33 X XX XX XX XX (spaces, dots or dashes between groups); DOM too.
export const PHONE = /(?:\+33\s?\(?0?\)?\s?|0033\s?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b/;

export function parseContactPoint(text: string): ContactPoint | undefined {
  const email = EMAIL.exec(text)?.[0].toLowerCase();
  const rawPhone = PHONE.exec(text)?.[0];
  const phone = rawPhone ? formatPhone(rawPhone) : undefined;
  return email || phone ? { ...(email ? { email } : {}), ...(phone ? { phone } : {}) } : undefined;
}

function formatPhone(raw: string): string {
  const digits = raw.replace(/\D/g, '').replace(/^(0033|33)/, '0').replace(/^00/, '0');
  const national = digits.startsWith('0') ? digits : `0${digits}`;
  return national.replace(/(\d{2})(?=\d)/g, '$1 ').trim();
}

/** A contact as the structure reads it back: « Camille Martin, camille@exemple.fr, 06 12 34 56 78 ». */
export function contactText(contact: { name?: string; email?: string; phone?: string }): string {
  return [contact.name, contact.email, contact.phone].filter((x) => typeof x === 'string' && x.trim() !== '').join(', ');
}
