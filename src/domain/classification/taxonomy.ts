/** Report categories (the slugs are the data; see ../shared/reference/taxonomy.md). */
export const CATEGORIES = {
  'hacking-social-email': { cyber: 'dependent', code: 'NFIB52C', label: 'Hacking – social media and email' },
  'hacking-personal': { cyber: 'dependent', code: 'NFIB52B', label: 'Hacking – personal' },
  'hacking-server': { cyber: 'dependent', code: 'NFIB52A', label: 'Hacking – server' },
  'hacking-pbx': { cyber: 'dependent', code: 'NFIB52D', label: 'Hacking – PBX/dial through' },
  'hacking-extortion': { cyber: 'dependent', code: 'NFIB52E', label: 'Hacking (extortion)' },
  malware: { cyber: 'dependent', code: 'NFIB50A', label: 'Computer viruses/malware' },
  'denial-of-service': { cyber: 'dependent', code: 'NFIB51A', label: 'Denial of service attack' },
  'online-shopping-fraud': { cyber: 'enabled', code: 'NFIB3A', label: 'Online shopping and auctions' },
  'investment-fraud': { cyber: 'enabled', code: 'NFIB2E', label: 'Other financial investment' },
  'romance-fraud': { cyber: 'enabled', code: 'NFIB19', label: 'Dating scam' },
  'advance-fee-fraud': { cyber: 'enabled', code: 'NFIB1H', label: 'Advance fee frauds' },
  'impersonation-fraud': { cyber: 'enabled', code: 'NFIB90', label: 'Other fraud not covered elsewhere' },
  'business-email-compromise': { cyber: 'enabled', code: 'NFIB5D', label: 'Mandate fraud' },
  'tech-support-fraud': { cyber: 'enabled', code: 'NFIB1C', label: 'Computer software service fraud' },
  'card-account-fraud': {
    cyber: 'enabled',
    code: 'NFIB5A',
    label: 'Cheque, plastic card and online bank accounts (not PSP)',
  },
  sextortion: { cyber: 'enabled', code: 'BLACKMAIL', label: 'Blackmail' },
  'online-harassment': {
    cyber: 'enabled',
    code: 'HARASSMENT',
    label: 'Stalking / harassment / malicious communications',
  },
  'child-sexual-abuse': { cyber: 'enabled', code: 'CSA-ONLINE', label: 'Sexual offences against children' },
  'phishing-attempt': { cyber: 'none', code: 'INTEL', label: 'Not a crime record: intelligence only' },
  other: { cyber: 'none', code: 'OTHER', label: 'Other' },
} as const satisfies Record<string, { cyber: 'dependent' | 'enabled' | 'none'; code: string; label: string }>;

export type Category = keyof typeof CATEGORIES;
export type CyberFlag = (typeof CATEGORIES)[Category]['cyber'];

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && Object.hasOwn(CATEGORIES, value);
}

/** Denial of service with a ransom demand is recorded under its own code (NFIB51B). */
export function recordingCode(category: Category, extortion: boolean): string {
  return category === 'denial-of-service' && extortion ? 'NFIB51B' : CATEGORIES[category].code;
}
