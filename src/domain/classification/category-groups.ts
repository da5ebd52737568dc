/** Groups of categories the classifier's rules of thumb refer to (classify.ts holds the rules). */

import type { Category } from './taxonomy.ts';

export const FRAUDS = new Set<Category>([
  'online-shopping-fraud',
  'investment-fraud',
  'romance-fraud',
  'advance-fee-fraud',
  'impersonation-fraud',
  'business-email-compromise',
  'tech-support-fraud',
  'card-account-fraud',
]);

export const EXTORTION_CATEGORIES = new Set<Category>([
  'sextortion',
  'denial-of-service',
  'child-sexual-abuse',
  'phishing-attempt',
  'online-harassment',
  'other',
]);

/** Deception frauds whose taxonomy description does not need an online element (a caller, a letter, a card). */
export const OFFLINE_CATEGORIES = new Set<Category>([
  'impersonation-fraud',
  'investment-fraud',
  'advance-fee-fraud',
  'card-account-fraud',
  'phishing-attempt',
]);

/** Categories a contact crime or theft keeps when it has an online element (the phone or laptop taken was used). */
export const AFTER_THEFT = new Set<Category>([
  'card-account-fraud',
  'hacking-personal',
  'hacking-social-email',
]);

/** Categories that say more than the offence name does; the offence name does not override them. */
export const SPECIFIC = new Set<Category>(['sextortion', 'child-sexual-abuse', 'hacking-extortion']);

/** Categories that a Computer Misuse Act offence name recasts as an intrusion. */
export const CMA_RECAST = new Set<Category>(['romance-fraud', 'online-shopping-fraud', 'other']);
