/**
 * Text as the classifier reads it: lower case, accents folded, money and ages marked ("£1,400" → "money",
 * "aged 84" / "IP (84)" / "my 12 year old" → "age84" / "age12"), contractions expanded ("didn't" → "did not"),
 * sentence breaks kept as " . ", other punctuation gone, call-handler shorthand, text-speak and common Welsh
 * words mapped to plain English, and every longer token within a small edit distance of a known cue word
 * corrected to it ("facebok" → "facebook", "paypall" → "paypal").
 *
 * Pure and deterministic. Token corrections can be memoised in a bounded cache the caller owns (TokenCache),
 * because a batch import sees the same few thousand words millions of times; nothing is kept between calls
 * otherwise.
 */

/** Single tokens: call-handler shorthand, legacy-system abbreviations, text-speak, spelling variants. */
const SHORTHAND = new Map<string, string>(
  Object.entries({
    // Call-handler and legacy crime-system shorthand.
    ip: 'victim',
    ips: 'victim',
    ipp: 'victim',
    vic: 'victim',
    susp: 'suspect',
    susps: 'suspects',
    unauth: 'unauthorised',
    unauthorized: 'unauthorised',
    authd: 'authorised',
    authorized: 'authorised',
    acct: 'account',
    accts: 'accounts',
    acc: 'account',
    txn: 'transaction',
    txns: 'transactions',
    trans: 'transaction',
    tfr: 'transfer',
    tfrd: 'transferred',
    xfer: 'transfer',
    pmt: 'payment',
    pmts: 'payments',
    pymt: 'payment',
    recd: 'received',
    rcvd: 'received',
    reqd: 'requested',
    req: 'request',
    reqing: 'requesting',
    fin: 'financial',
    nfi: 'no further information',
    oic: 'officer in charge',
    otp: 'one time passcode',
    atm: 'cash machine',
    atms: 'cash machines',
    nr: 'not received',
    incl: 'including',
    approx: 'approximately',
    md: 'managing director',
    fd: 'finance director',
    ceo: 'chief executive',
    hrs: 'hours',
    hr: 'hour',
    mins: 'minutes',
    vrm: 'registration',
    sw: 'software',
    // Text-speak and everyday abbreviations.
    msg: 'message',
    msgs: 'messages',
    txt: 'text',
    txts: 'texts',
    txted: 'texted',
    sms: 'text',
    dm: 'direct message',
    dms: 'direct messages',
    ph: 'phone',
    tel: 'phone',
    mob: 'mobile',
    pic: 'picture',
    pics: 'pictures',
    piccies: 'pictures',
    vid: 'video',
    vids: 'videos',
    fb: 'facebook',
    insta: 'instagram',
    ig: 'instagram',
    snap: 'snapchat',
    wa: 'whatsapp',
    whatsap: 'whatsapp',
    watsapp: 'whatsapp',
    whatapp: 'whatsapp',
    whats: 'whatsapp',
    yt: 'youtube',
    pw: 'password',
    pwd: 'password',
    passwd: 'password',
    yo: 'years old',
    yrs: 'years',
    yr: 'year',
    dob: 'born',
    gf: 'girlfriend',
    bf: 'boyfriend',
    mother: 'mum',
    mam: 'mum',
    mom: 'mum',
    mummy: 'mum',
    father: 'dad',
    daddy: 'dad',
    nan: 'grandmother',
    nana: 'grandmother',
    nanna: 'grandmother',
    gran: 'grandmother',
    granny: 'grandmother',
    grandma: 'grandmother',
    grandad: 'grandfather',
    granddad: 'grandfather',
    grandpa: 'grandfather',
    ur: 'your',
    u: 'you',
    r: 'are',
    coz: 'because',
    cos: 'because',
    cuz: 'because',
    pls: 'please',
    plz: 'please',
    b4: 'before',
    n: 'and',
    thru: 'through',
    sum1: 'someone',
    some1: 'someone',
    any1: 'anyone',
    no1: 'no one',
    '2day': 'today',
    '2moro': 'tomorrow',
    gunna: 'going to',
    gonna: 'going to',
    wanna: 'want to',
    sayin: 'saying',
    talkin: 'talking',
    chattin: 'chatting',
    messagin: 'messaging',
    sendin: 'sending',
    nite: 'night',
    ppl: 'people',
    m8: 'friend',
    m8s: 'friends',
    mate: 'friend',
    mates: 'friends',
    bro: 'brother',
    callin: 'calling',
    sed: 'said',
    tho: 'though',
    // Contractions written without the apostrophe.
    dont: 'do not',
    didnt: 'did not',
    doesnt: 'does not',
    cant: 'can not',
    cannot: 'can not',
    couldnt: 'could not',
    wont: 'will not',
    wouldnt: 'would not',
    havent: 'have not',
    hasnt: 'has not',
    hadnt: 'had not',
    isnt: 'is not',
    wasnt: 'was not',
    werent: 'were not',
    arent: 'are not',
    shouldnt: 'should not',
    im: 'i am',
    ive: 'i have',
    hes: 'he is',
    shes: 'she is',
    theyre: 'they are',
    theyll: 'they will',
    theyd: 'they would',
    hed: 'he would',
    // Spelling variants and frequent misspellings the edit distance cannot reach (short words, letter swaps).
    dos: 'ddos',
    ddosed: 'ddos',
    ddosing: 'ddos',
    crypto: 'cryptocurrency',
    cryto: 'cryptocurrency',
    crpyto: 'cryptocurrency',
    btc: 'bitcoin',
    eth: 'ethereum',
    usdt: 'tether',
    rdp: 'remote desktop',
    ransomeware: 'ransomware',
    ransomwear: 'ransomware',
    ransome: 'ransom',
    labtop: 'laptop',
    computor: 'computer',
    websight: 'website',
    emial: 'email',
    paypall: 'paypal',
    fraudlent: 'fraudulent',
    fradulent: 'fraudulent',
    unathorised: 'unauthorised',
    withdrawl: 'withdrawal',
    harrassment: 'harassment',
    harrassing: 'harassing',
    harrased: 'harassed',
    threating: 'threatening',
    blackmale: 'blackmail',
    extorsion: 'extortion',
    sextorted: 'sextortion',
    recieved: 'received',
    recieve: 'receive',
    // Welsh: common words for the main kinds of report, so short Welsh reports reach the same cues.
    hacio: 'hacked',
    haciwyd: 'hacked',
    hacwyd: 'hacked',
    cyfrif: 'account',
    gyfrif: 'account',
    nghyfrif: 'account',
    chyfrif: 'account',
    cyfrifon: 'accounts',
    arian: 'money',
    banc: 'bank',
    fanc: 'bank',
    diogel: 'safe',
    gwefan: 'website',
    wefan: 'website',
    ngwefan: 'website',
    traffig: 'traffic',
    draffig: 'traffic',
    llethu: 'flooded',
    ymosodiad: 'attack',
    ffeiliau: 'files',
    amgryptio: 'encrypted',
    hamgryptio: 'encrypted',
    datgloi: 'unlock',
    pridwerth: 'ransom',
    dwyn: 'stolen',
    ddwyn: 'stolen',
    ddwynodd: 'stole',
    beic: 'bike',
    meic: 'bike',
    feic: 'bike',
    parsel: 'parcel',
    mharsel: 'parcel',
    barsel: 'parcel',
    neges: 'message',
    negeseuon: 'messages',
    testun: 'text',
    destun: 'text',
    clicio: 'click',
    ddolen: 'link',
    dolen: 'link',
    dileu: 'delete',
    tocyn: 'ticket',
    docyn: 'ticket',
    tocynnau: 'tickets',
    docynnau: 'tickets',
    prynais: 'bought',
    prynu: 'buy',
    talais: 'paid',
    dalais: 'paid',
    talu: 'pay',
    dalu: 'pay',
    trosglwyddiad: 'transfer',
    rhwystro: 'blocked',
    nhwyllo: 'scammed',
    twyllo: 'scammed',
    twyll: 'fraud',
    dwyll: 'fraud',
    sgam: 'scam',
    detio: 'dating',
    ddetio: 'dating',
    cwrddais: 'met',
    cariad: 'partner',
    buddsoddi: 'invest',
    fuddsoddi: 'invest',
    buddsoddiad: 'investment',
    lluniau: 'pictures',
    llun: 'picture',
    noeth: 'naked',
    rhywiol: 'sexual',
    plentyn: 'child',
    mhlentyn: 'child',
    blentyn: 'child',
    plant: 'children',
    bygwth: 'threatening',
    fygwth: 'threatening',
    aflonyddu: 'harassing',
    ffoniodd: 'phoned',
    ffonio: 'phone',
    collais: 'lost',
    cerdyn: 'card',
    gerdyn: 'card',
    nghardyn: 'card',
    taliadau: 'payments',
    firws: 'virus',
    feirws: 'virus',
    cyfrifiadur: 'computer',
    gyfrifiadur: 'computer',
    ebost: 'email',
    symud: 'move',
    heddlu: 'police',
    dyn: 'man',
    erioed: 'never',
    in2: 'into',
    mynediad: 'access',
    newid: 'changed',
    menyw: 'woman',
    ddynes: 'woman',
    dynes: 'woman',
    ar: 'on',
    ngharu: 'loves',
    caru: 'love',
    garu: 'love',
    dynnu: 'withdraw',
    tynnu: 'withdraw',
    negesydd: 'courier',
    allan: 'out',
    ci: 'dog',
    gi: 'dog',
    cath: 'cat',
    gath: 'cat',
    ffug: 'fake',
    roi: 'give',
    wrtha: 'me',
    nhw: 'they',
    fy: 'my',
    gan: 'from',
    alwad: 'call',
    galwad: 'call',
    rhoi: 'give',
    unrhyw: 'any',
    manylion: 'details',
    fanylion: 'details',
    gyda: 'with',
    rhif: 'number',
    newydd: 'new',
    ato: 'to him',
    ati: 'to her',
    cyn: 'ex',
    nghyn: 'ex',
    bartner: 'partner',
    bygythiol: 'threatening',
    mewn: 'in',
    cwmni: 'company',
    gwmni: 'company',
    defnyddio: 'used',
    ddefnyddio: 'used',
    ngherdyn: 'card',
    brynu: 'buy',
    pethau: 'things',
    ganiatad: 'permission',
    rhywun: 'someone',
    ffrindiau: 'friends',
    anfon: 'sending',
    awyren: 'plane',
    ond: 'but',
    ac: 'and',
    cyfrinair: 'password',
    gwefannau: 'websites',
    bygythiad: 'threat',
    bygythiadau: 'threats',
    blacmel: 'blackmail',
    fideo: 'video',
    merch: 'daughter',
    ferch: 'daughter',
    mab: 'son',
    fab: 'son',
    nain: 'grandmother',
    tad: 'dad',
    nhad: 'dad',
    ngwr: 'husband',
    gwr: 'husband',
    gwraig: 'wife',
    heb: 'without',
    caniatad: 'permission',
    swydd: 'job',
    benthyciad: 'loan',
    gwobr: 'prize',
    loteri: 'lottery',
    ennill: 'won',
    enillais: 'won',
    ffi: 'fee',
    treth: 'tax',
  }),
);

/**
 * Phrases rewritten before tokens are mapped: call-handler shorthand that depends on its neighbours and Welsh
 * phrases whose words mean something else alone. Runs on lower-cased text with punctuation still present.
 */
/** Each rule runs only when the text contains one of its literal triggers (a cheap substring search). */
const ENGLISH_PHRASES: readonly (readonly [readonly string[], RegExp, string])[] = [
  [['ip add'], /\bip address(es)?\b/g, ' ipaddress '],
  [['&', '/', 're:'], /\bf ?& ?f\b/g, ' friends and family '],
  [['s/w'], /\bs\/w\b/g, ' software '],
  [['s/c'], /\bs\/c\b/g, ' sort code '],
  [['n/a'], /\bn\/a\b/g, ' no '],
  [['w/e'], /\bw\/e\b/g, ' weekend '],
  [['re:'], /\bre:/g, ' about '],
  [
    ['bt'],
    /\b(paid|pay|paying|sent|send|via|by|made|and|&) bt\b(?! (broadband|openreach|engineer|line|hub|router|support))/g,
    ' $1 bank transfer ',
  ],
  [['bt to'], /\bbt to\b/g, ' bank transfer to '],
  [['e-mail'], /\be-mail/g, 'email'],
  [
    [' in to'],
    /\b(log|logs|logged|logging|sign|signs|signed|signing|get|gets|got|getting|break|broke|broken|hack|hacked|let \w+) in to\b/g,
    ' $1 into ',
  ],
  [[' on to'], /\b(let \w+|let \w+ \w+|get|got|gets|getting|logged|log) on to\b/g, ' $1 onto '],
  [['wi-fi'], /\bwi-fi\b/g, ' wifi '],
  [['hi m', 'hi d', 'hi f'], /\bhi (mum|mam|mom|mummy|dad|mother|father)\b/g, ' hi_mum '],
];

function rewriteEnglish(text: string): string {
  let t = text;
  for (const [triggers, pattern, replacement] of ENGLISH_PHRASES)
    if (triggers.some((trigger) => t.includes(trigger))) t = t.replace(pattern, replacement);
  return t;
}

/** Welsh phrases, rewritten only when the text looks Welsh. */
const WELSH_PHRASES: readonly (readonly [RegExp, string])[] = [
  [/\bwnes i ddim\b|\bwnaeth e ddim\b|\bwnaeth hi ddim\b/g, ' did not '],
  [/\bni chefais\b|\bches i ddim\b|\bchefais i ddim\b/g, ' did not receive '],
  [/\byn dweud (ei )?fod\b/g, ' saying he was '],
  [/\byn dweud eu bod\b/g, ' saying they were '],
  [/\byn dweud\b|\bdywedodd\b/g, ' said '],
  [/\b(?:ces|ges|cefais|cafodd) i\b/g, ' i got '],
  [/\byn esgus bod yn\b|\byn esgus bod\b|\byn smalio bod yn\b/g, ' pretending to be '],
  [/\bi mi\b/g, ' '],
  [/\bbob dydd\b/g, ' every day '],
  [/\bni allaf\b|\bfedra i ddim\b|\bdw i ddim yn gallu\b/g, ' can not '],
  [/\bbuddsoddais\b|\bfuddsoddais\b/g, ' i invested '],
  [/\b(?:ngh|c|g)yn[- ]?(?:bartner|partner|gariad|cariad|wr|wraig)\b/g, ' ex partner '],
  [/\bo'r\b/g, ' from the '],
  [/\be-?bost\b/g, ' email '],
  [/\bmynediad i\b/g, ' access to '],
  [/\b[cg]i bach\b/g, ' puppy '],
  [/\b[cg]ath fach\b/g, ' kitten '],
  [/\bar gyfer\b/g, ' for '],
  [/\b(?:t|d)alais i\b/g, ' i paid '],
  [/(£\s?[\d,.]+k?) am\b/g, '$1 for '],
  [/\bwedi'i gloi\b/g, ' locked '],
  [/\bcwrddais (?:a|â)\b/g, ' i met '],
  [/\b(g|ng)?wefan dd?etio\b/g, ' dating website '],
  [/\bap dd?etio\b/g, ' dating app '],
  [/\bgofyn(nodd)? am\b/g, ' asked for '],
  [/\banfonais\b/g, ' i sent '],
  [/\bni ddaeth\b/g, ' never came '],
  [/\ball-?lein\b/g, ' offline '],
  [/\bar-?lein\b/g, ' online '],
  [/\bcyfryngau cymdeithasol\b/g, ' social media '],
];

/** Words the cues use; misspelt tokens of five letters or more are corrected to these. */
export const CUE_VOCABULARY = [
  'account',
  'accessed',
  'advert',
  'advertised',
  'amazon',
  'antivirus',
  'anydesk',
  'arrived',
  'auction',
  'bitcoin',
  'blackmail',
  'blackmailed',
  'blackmailing',
  'broadband',
  'business',
  'cancelled',
  'children',
  'clicked',
  'company',
  'compensation',
  'compromised',
  'computer',
  'courier',
  'cryptocurrency',
  'customer',
  'dating',
  'daughter',
  'delivered',
  'delivery',
  'demanded',
  'demanding',
  'deposit',
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
  'groomed',
  'hacked',
  'hacker',
  'harassing',
  'harassment',
  'hotmail',
  'impersonating',
  'indecent',
  'inheritance',
  'instagram',
  'investment',
  'invested',
  'investing',
  'invoice',
  'keylogger',
  'laptop',
  'linkedin',
  'lottery',
  'malware',
  'marketplace',
  'messages',
  'microsoft',
  'naked',
  'network',
  'offline',
  'outlook',
  'password',
  'payment',
  'paypal',
  'phishing',
  'platform',
  'pictures',
  'police',
  'pretending',
  'profile',
  'purchase',
  'purchased',
  'purporting',
  'ransom',
  'ransomware',
  'received',
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
  'solicitor',
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
  'withdraw',
  'withdrawal',
  'wallet',
  'webcam',
  'gumtree',
  'vinted',
  'twitter',
  'tiktok',
  'telegram',
  'prize',
  'winnings',
  'lender',
  'emailed',
];

/**
 * Ordinary words a cue word is one or two letters away from. They are never "corrected": "random" is not
 * "ransom", "broken" is not "broker", "directly" is not "director".
 */
const PROTECTED = new Set([
  'random',
  'tracking',
  'tracked',
  'trading',
  'remove',
  'policy',
  'polite',
  'price',
  'prices',
  'prime',
  'pride',
  'prise',
  'named',
  'broken',
  'attach',
  'attached',
  'directly',
  'intimidate',
  'staking',
  'passport',
  'serve',
  'served',
  'severe',
  'grand',
  'giant',
  'dating',
  'deposits',
  'commuter',
  'settled',
  'planned',
  'recently',
  'record',
  'recorded',
  'deleted',
  'delete',
  'related',
  'relative',
  'relatives',
  'return',
  'returned',
  'scanned',
  'scammers',
  'social',
  'special',
  'video',
  'visit',
  'voice',
  'vinyl',
  'whatever',
  'wallets',
  'walled',
  'walked',
  'naked',
  'nurse',
  'nudes',
  'notes',
  'noted',
  'other',
  'others',
  'outlet',
  'outside',
  'refused',
  'refunded',
  'remotely',
  'remoted',
  'tickets',
  'ticket',
  'tricked',
  'trying',
  'trading',
  'traded',
  'trader',
  'traders',
  'platforms',
  'profiles',
  'profit',
  'profits',
  'server',
  'servers',
  'sexual',
  'social',
  'victims',
  'viruses',
  'website',
  'websites',
  'webcams',
  'account',
  'accounts',
  'accessed',
  'accused',
  'accepted',
  'advert',
  'adverts',
  'advised',
  'arrived',
  'arrive',
  'arrives',
  'arriving',
  'delivery',
  'deliver',
  'delivers',
  'delivered',
  'blackmail',
  'company',
  'compared',
  'customs',
  'customer',
  'customers',
  'daughter',
  'daughters',
  'laughter',
  'demand',
  'demands',
  'invoices',
  'investor',
  'investors',
  'invested',
  'investing',
  'investment',
  'investments',
  'payments',
  'paying',
  'paypal',
  'pictures',
  'picture',
  'photos',
  'police',
  'policed',
  'hacker',
  'hackers',
  'hacked',
  'backed',
  'hacking',
  'hacks',
  'lender',
  'lenders',
  'lended',
  'tender',
  'winning',
  'prizes',
  'purchases',
  'suppliers',
  'supplies',
  'supplied',
  'threatens',
  'threats',
  'transfer',
  'transfers',
  'messages',
  'message',
  'messaged',
  'mortgage',
  'withdrawn',
  'withdrawals',
  'withdrew',
  'courses',
  'courier',
  'couriers',
  'courts',
  'emailed',
  'emails',
  'mailed',
  'telegraph',
  'download',
  'downloaded',
  'downloads',
  'refunds',
  'returns',
  'scammed',
  'scammer',
  'scanner',
  'finance',
  'financial',
  'girlfriends',
  'boyfriends',
  'grooming',
  'groomed',
  'growing',
  'network',
  'networks',
  'remote',
  'months',
  'month',
  'money',
  'monday',
]);

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
  const n = b.length;
  let prevPrev = new Int32Array(n + 1);
  let prev = new Int32Array(n + 1);
  let row = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let best = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb)
        v = Math.min(v, (prevPrev[j - 2] ?? 0) + 1);
      row[j] = v;
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    const spare = prevPrev;
    prevPrev = prev;
    prev = row;
    row = spare;
  }
  return prev[n] ?? max + 1;
}

const SUFFIXES = ['s', 'es', 'ed', 'd', 'ing', 'er', 'ers', 'ly', 'n'];

/** "messages" vs "message", "withdrawn" vs "withdraw": a real word form, not a typo. */
function isWordForm(token: string, word: string): boolean {
  const [shorter, longer] = token.length < word.length ? [token, word] : [word, token];
  return longer.startsWith(shorter) && SUFFIXES.includes(longer.slice(shorter.length));
}

function correctUncached(token: string): string {
  if (token.length < 5 || VOCAB_SET.has(token) || PROTECTED.has(token) || /[^a-z]/.test(token)) return token;
  const max = token.length >= 10 ? 2 : 1;
  for (let len = token.length - max; len <= token.length + max; len++) {
    for (const word of VOCAB_BY_LENGTH.get(len) ?? []) {
      if (word.charCodeAt(0) === token.charCodeAt(0) && editDistance(token, word, max) <= max)
        return isWordForm(token, word) ? token : word;
    }
  }
  return token;
}

const CACHE_LIMIT = 10_000;

/** Memoised token corrections, owned by whoever classifies many texts (a batch import); never shared globally. */
export type TokenCache = Map<string, string>;

/** The token as the cues expect it: shorthand expanded, or a misspelling corrected. */
function mapToken(token: string, cache: TokenCache): string {
  let mapped = cache.get(token);
  if (mapped === undefined) {
    mapped = SHORTHAND.get(token) ?? correctUncached(token);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(token, mapped);
  }
  return mapped;
}

/** Number of capturing groups in a pattern's source. */
function countGroups(source: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && source.charAt(i + 1) !== '?') n++;
  }
  return n;
}

/**
 * Applies a list of rewrites in one pass: one combined regex, and each match replaced by the rule whose
 * alternative matched ($1..$9 refer to that rule's own groups).
 */
function rewriter(rules: readonly (readonly [RegExp, string])[]): (text: string) => string {
  const starts: number[] = [];
  let groups = 0;
  for (const [pattern] of rules) {
    starts.push(groups + 1);
    groups += 1 + countGroups(pattern.source);
  }
  const combined = new RegExp(rules.map(([pattern]) => `(${pattern.source})`).join('|'), 'g');
  return (text) =>
    text.replace(combined, (...args: unknown[]) => {
      for (let k = 0; k < rules.length; k++) {
        const at = starts[k] ?? 0;
        if (args[at] !== undefined) {
          const replacement = rules[k]?.[1] ?? '';
          return replacement.replace(/\$(\d)/g, (_, d: string) => {
            const value = args[at + Number(d)];
            return typeof value === 'string' ? value : '';
          });
        }
      }
      return typeof args[0] === 'string' ? args[0] : '';
    });
}

const AGE_UNIT =
  '(?![\\d,.:/]\\d| ?(?:%|am\\b|pm\\b|min|hour|hr|day|week|month|year|time|percent|pound|quid|k\\b|call|people|of\\b|in\\b|out\\b|x\\b|mile|page|message|text|email|follower|member|minute|second|extension))';

/*
 * Ages written the ways reporters and call handlers write them, marked as one token ("age84"): "84 yo",
 * "13yo", "aged 84", "IP 81.", "IP (72)", "(84, early dementia)", "she's 84", "my son is 12", "in her 80s".
 * Numbers are found first and their neighbours checked, which is much cheaper than scanning for every phrase.
 */
const AGE_NUMBER = /\b\d{1,2}(?!\d)/g;
const AGE_UNIT_AFTER = /^[ -]?(?:yo|y\/o|y\.o\.?|yrs?[ -]old|years?[ -]old)\b/;
const AGE_WORD_BEFORE = /\baged? $/;
const AGE_PERSON_BEFORE =
  /(?:^|[^a-z'])(?:i'm|i am|im|she's|shes|she is|he's|hes|he is|who is|who's|is|was|am|turned|now|(?:mum|mam|mom|dad|mother|father|gran|nan|nana|grandma|grandad|grandpa|granny|husband|wife|son|daughter|aunt|uncle|brother|sister|partner|neighbour)'s) $/;
const AGE_NOT_AMOUNT_AFTER = new RegExp(`^${AGE_UNIT}`);
const AGE_VICTIM_BEFORE = /(?:^|[^a-z])(?:ip|ipp|victim) $/;
const AGE_VICTIM_AFTER = /^(?:[.,;)]|$| and\b| is\b| who\b| lives\b)/;
const AGE_BRACKET_BEFORE = /\((?:aged? )?$/;
const AGE_BRACKET_AFTER = /^(?:\)|,| yrs| years)/;
const AGE_DECADE = /\bin (?:his|her|their|my) (?:([789])0s|seventies|eighties|nineties)\b/g;
const DECADE_WORDS = new Map([
  ['seventies', '7'],
  ['eighties', '8'],
  ['nineties', '9'],
]);

function isAge(number: string, before: string, after: string): boolean {
  if (AGE_UNIT_AFTER.test(after)) return true;
  if (/^[a-z0-9]/.test(after)) return false;
  if (AGE_WORD_BEFORE.test(before)) return true;
  if (AGE_PERSON_BEFORE.test(before)) return AGE_NOT_AMOUNT_AFTER.test(after);
  if (number.length !== 2) return false;
  if (AGE_VICTIM_BEFORE.test(before)) return AGE_VICTIM_AFTER.test(after);
  return AGE_BRACKET_BEFORE.test(before) && AGE_BRACKET_AFTER.test(after);
}

function markAges(text: string): string {
  let t = text;
  if (/\d/.test(t))
    t = t.replace(AGE_NUMBER, (number: string, offset: number) =>
      isAge(
        number,
        t.slice(Math.max(0, offset - 12), offset),
        t.slice(offset + number.length, offset + number.length + 16),
      )
        ? ` age${number} `
        : number,
    );
  if (t.includes('0s') || t.includes('ties'))
    t = t.replace(AGE_DECADE, (phrase: string, digit: string | undefined) => {
      const decade = digit ?? DECADE_WORDS.get(phrase.slice(phrase.lastIndexOf(' ') + 1)) ?? '';
      return decade === '' ? phrase : ` age${decade}5 `;
    });
  return t;
}

/** Curly quotes and dashes as plain ASCII, and accents folded ("dêtio" → "detio"). */
function foldCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex -- plain ASCII needs no folding
  if (!/[^\x00-\x7f]/.test(text)) return text;
  return text
    .replace(/[’‘`´]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

const rewriteWelsh = rewriter(WELSH_PHRASES);
const WELSH_HINT =
  /\b(?:mae|wedi|yn|fy|ddim|roedd|ond|ces|ges|gan|nhw|rhywun|dywedodd|ffoniodd|talais|dalais|prynais|cwrddais|gofynnodd|anfonais|collais|chefais|ddaeth|o'r|i'r|hi'n|e'n)\b/;
const MONEY =
  /[£$€]\s?\d[\d,]*(\.\d+)?\s?(k|m|million|thousand|grand)?\b|\b\d[\d,]*(\.\d+)?\s?(k|pounds|gbp|quid|grand|dollars|euros)\b/g;
const CONTRACTIONS = /\b(won't|can't)|n't\b|'(s|d|ll|re|ve|m)\b|'/g;
const EXPANSIONS = new Map([
  ["won't", 'will not'],
  ["can't", 'can not'],
  ["n't", ' not'],
  ["'ll", ' will'],
  ["'re", ' are'],
  ["'ve", ' have'],
  ["'m", ' am'],
]);

/**
 * The normalised words of a text, in order (a mapped word may itself be two words, "didnt" → "did not").
 * Repeated words are the same string objects, which keeps later lookups cheap.
 */
export function normaliseWords(text: string, cache: TokenCache = new Map()): string[] {
  let t = rewriteEnglish(foldCharacters((text.length > 20_000 ? text.slice(0, 20_000) : text).toLowerCase()));
  if (WELSH_HINT.test(t)) t = rewriteWelsh(t);
  t = markAges(t);
  if (/\d/.test(t))
    t = t
      .replace(MONEY, ' money ')
      .replace(/(\d),(\d{3})\b/g, '$1$2')
      .replace(/(\d)\s?%/g, '$1 percent ');
  if (t.includes("'")) t = t.replace(CONTRACTIONS, (m) => EXPANSIONS.get(m) ?? '');
  t = t.replace(/[.!?;]+(?=\s|$)/g, ' | ').replace(/[^a-z0-9_| ]+/g, ' ');
  const out: string[] = [];
  for (const token of t.split(' ')) if (token !== '') out.push(token === '|' ? '.' : mapToken(token, cache));
  return out;
}

export function normaliseText(text: string): string {
  return normaliseWords(text).join(' ');
}
