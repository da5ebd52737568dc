/** The legacy import bench's generated rows (also classified by test/classification/identity.ts). */
const SUMMARIES = [
  'IP STATES PAID £450 FOR PUPPY ON GUMTREE. NEVER ARRIVED',
  'IP REPORTS UNAUTH ACCESS TO FACEBOOK ACCT. SUSP UNKNOWN. NO LOSS',
  'victim received call from man claiming to be from bank fraud team, moved savings to safe account',
  'our servers were encrypted by ransomware and a bitcoin ransom was demanded',
  'met a man on a dating app who asked for money for flights, sent £3000',
  'text claiming parcel held, victim deleted it without clicking',
];

export function benchRow(i: number): {
  recordId: string;
  date: string;
  crimeType: string;
  summary: string;
  loss: string;
} {
  const day = String(1 + (i % 28)).padStart(2, '0');
  return {
    recordId: `R${i}`,
    date: `${day}/${String(1 + (i % 12)).padStart(2, '0')}/2025`,
    crimeType: 'FRAUD',
    summary: `${SUMMARIES[i % SUMMARIES.length] ?? ''} (${i})`,
    loss: `£${i % 5000}.00`,
  };
}
