/**
 * Text as the classifier reads it: lower case, money and numbers marked, punctuation gone, common misspellings
 * and call-handler shorthand mapped to plain words, and every token within a small edit distance of a known cue
 * word corrected to it ("facebok" → "facebook", "scamed" → "scammed").
 */
const SHORTHAND: Readonly<Record<string, string>> = {
  ip: 'victim',
  ips: 'victims',
  ipp: 'victim',
  vic: 'victim',
  susp: 'suspect',
  susps: 'suspects',
  sus: 'suspect',
  unauth: 'unauthorised',
  unauthorized: 'unauthorised',
  acct: 'account',
  accts: 'accounts',
  trans: 'transfer',
  tfr: 'transfer',
  xfer: 'transfer',
  pmt: 'payment',
  pymt: 'payment',
  recd: 'received',
  msg: 'message',
  msgs: 'messages',
  txt: 'text',
  txts: 'texts',
  sms: 'text',
  ph: 'phone',
  tel: 'phone',
  mob: 'mobile',
  fb: 'facebook',
  insta: 'instagram',
  ig: 'instagram',
  snap: 'snapchat',
  wa: 'whatsapp',
  whatsap: 'whatsapp',
  pw: 'password',
  pwd: 'password',
  passwd: 'password',
  yo: 'years old',
  yrs: 'years',
  yr: 'year',
  yrold: 'years old',
  dob: 'born',
  mum: 'mother',
  mam: 'mother',
  nan: 'grandmother',
  grandad: 'grandfather',
  ur: 'your',
  u: 'you',
  coz: 'because',
  cos: 'because',
  pls: 'please',
  plz: 'please',
  w: 'with',
  b4: 'before',
  n: 'and',
  thru: 'through',
  dos: 'ddos',
  crypto: 'cryptocurrency',
  btc: 'bitcoin',
  eth: 'ethereum',
  usdt: 'tether',
  rdp: 'remote desktop',
  ransomeware: 'ransomware',
  ransomwear: 'ransomware',
  pbx: 'pbx',
  voip: 'voip',
  cctv: 'cctv',
  nfi: 'no further information',
};

/** Words the cues use; misspelt tokens are corrected to these. */
export const CUE_VOCABULARY = [
  'account',
  'accessed',
  'advert',
  'advertised',
  'amazon',
  'anydesk',
  'arrived',
  'attack',
  'auction',
  'bitcoin',
  'blackmail',
  'broadband',
  'broker',
  'business',
  'cancelled',
  'cheque',
  'children',
  'clicked',
  'company',
  'compromised',
  'computer',
  'courier',
  'cryptocurrency',
  'customer',
  'dating',
  'daughter',
  'deleted',
  'delivered',
  'delivery',
  'demanded',
  'deposit',
  'director',
  'download',
  'encrypted',
  'explicit',
  'extortion',
  'facebook',
  'financial',
  'fraudster',
  'fraudulent',
  'girlfriend',
  'boyfriend',
  'grooming',
  'hacked',
  'hacker',
  'harassing',
  'harassment',
  'hotmail',
  'impersonating',
  'inheritance',
  'instagram',
  'intimate',
  'investment',
  'invested',
  'invoice',
  'laptop',
  'lottery',
  'malware',
  'marketplace',
  'messages',
  'microsoft',
  'naked',
  'network',
  'nudes',
  'offline',
  'outlook',
  'password',
  'payment',
  'paypal',
  'phishing',
  'platform',
  'pictures',
  'police',
  'posting',
  'profile',
  'purchase',
  'purchased',
  'ransom',
  'ransomware',
  'received',
  'recieved',
  'refund',
  'relationship',
  'remote',
  'returns',
  'scammed',
  'scammer',
  'server',
  'sexual',
  'snapchat',
  'social',
  'spyware',
  'stalking',
  'supplier',
  'suspicious',
  'teamviewer',
  'threatened',
  'threatening',
  'tickets',
  'trading',
  'transaction',
  'transactions',
  'transferred',
  'unauthorised',
  'victim',
  'video',
  'virus',
  'website',
  'whatsapp',
  'withdrawn',
  'wallet',
  'webcam',
  'instagram',
  'gumtree',
  'vinted',
  'depop',
  'ebay',
  'twitter',
  'tiktok',
  'telegram',
  'prize',
  'winnings',
  'lender',
  'loan',
  'grant',
  'emailed',
];

const VOCAB_BY_LENGTH = new Map<number, string[]>();
for (const word of new Set(CUE_VOCABULARY)) {
  const list = VOCAB_BY_LENGTH.get(word.length) ?? [];
  list.push(word);
  VOCAB_BY_LENGTH.set(word.length, list);
}
const VOCAB_SET = new Set(CUE_VOCABULARY);

/** Optimal string alignment distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2: number[] = new Array<number>(b.length + 1).fill(0);
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  let prevPrev = prev2;
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (prevPrev[j - 2] ?? 0) + 1);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length] ?? max + 1;
}

function correct(token: string): string {
  if (token.length < 5 || VOCAB_SET.has(token) || /\d/.test(token)) return token;
  const max = token.length >= 8 ? 2 : 1;
  for (let len = token.length - max; len <= token.length + max; len++) {
    for (const word of VOCAB_BY_LENGTH.get(len) ?? []) {
      if (word[0] === token[0] && editDistance(token, word, max) <= max) return word;
    }
  }
  return token;
}

export function normaliseText(text: string): string {
  const lowered = text
    .slice(0, 20_000)
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/£\s?\d[\d,]*(\.\d+)?k?|\d[\d,]*(\.\d+)?\s?(pounds|gbp|quid)\b/g, ' money ')
    .replace(/\bhi mum\b|\bhi mam\b|\bhi dad\b/g, ' hi mum ')
    .replace(/\b(\d{1,2})\s?(yo|y\/o|yrs? old|years? old|year-old)\b/g, ' age$1 ')
    .replace(/\baged?\s(\d{1,3})\b/g, ' age$1 ')
    .replace(/[^a-z0-9@\u00c0-\u024f' ]+/g, ' ')
    .replace(/'/g, '');
  return lowered
    .split(/\s+/)
    .filter((t) => t !== '')
    .map((t) => SHORTHAND[t] ?? correct(t))
    .join(' ');
}
