import { CATEGORIES, recordingCode, type Category, type CyberFlag } from './taxonomy.ts';
import { normaliseText } from './normalise-text.ts';

export interface ClassificationInput {
  text: string;
  /** The journey's plain-language answer, already mapped to a category, when there is one. */
  chosenCategory?: Category;
  /** Vulnerability answers from the journey (e.g. over-70), when there are any. */
  vulnerability?: readonly string[];
}

export interface Classification {
  category: Category;
  cyber: CyberFlag;
  code: string;
  confidence: number;
  extortion: boolean;
  vulnerable: boolean;
  /** Which answers or phrases decided it, in plain words. */
  reasons: string[];
}

interface Cue {
  pattern: RegExp;
  weight: number;
  label: string;
}

const cue = (pattern: RegExp, weight: number, label: string): Cue => ({ pattern, weight, label });

/** Phrases that point to each category, with weights. Patterns run on normalised text (see normaliseText). */
const CUES: Readonly<Record<Category, readonly Cue[]>> = {
  'hacking-social-email': [
    cue(
      /\b(facebook|instagram|snapchat|tiktok|twitter|x account|linkedin|whatsapp account|social media|gmail|hotmail|outlook|yahoo|email|e mail|icloud) (account )?(was |has been |got |been )?(hacked|compromised|taken over|accessed)/,
      4,
      'an email or social media account was hacked',
    ),
    cue(
      /\bhacked (my |her |his |their |the |our )?(facebook|instagram|snapchat|tiktok|twitter|social media|gmail|hotmail|email|e mail|whatsapp)/,
      4,
      'an email or social media account was hacked',
    ),
    cue(
      /\b(unauthorised access|unauthorised login|logged into|got into|access to|locked out of|taken over|took over) (to |of |my |her |his |their )*(facebook|instagram|snapchat|tiktok|email|e mail|gmail|hotmail|outlook|social media|whatsapp)/,
      4,
      'someone got into an email or social media account',
    ),
    cue(
      /\b(facebook|instagram|snapchat|tiktok|email|gmail|hotmail|outlook) (password|recovery) (was |has been )?changed/,
      3,
      'the account password or recovery details were changed',
    ),
    cue(
      /\bposting (as|from) (me|my account)|messages? (sent|were sent) from my account|sending messages to my (friends|contacts)/,
      3,
      'messages were sent from the account',
    ),
  ],
  'hacking-personal': [
    cue(
      /\b(laptop|computer|pc|phone|mobile|ipad|tablet|router|wifi|webcam|smart|alexa|camera|netflix|amazon account|apple id|icloud|steam|playstation|xbox|gaming) (account )?(was |has been |got |been )?(hacked|compromised|accessed)/,
      3,
      'a personal device or account was hacked',
    ),
    cue(
      /\b(someone|somebody|hacker)s? (has |have )?(got into|accessed|hacked|remote|controlling|took control of) (my|her|his) (laptop|computer|pc|phone|mobile|device|router|wifi|camera|account)/,
      3,
      'someone got into a personal device or account',
    ),
    cue(/\bunauthorised access\b/, 1.5, 'unauthorised access'),
    cue(/\b(hacked|hacker|hacking)\b/, 1, 'hacking mentioned'),
  ],
  'hacking-server': [
    cue(
      /\b(server|servers|network|systems?|database|website|web site|cloud|tenancy|office 365|microsoft 365|sharepoint|crm|it systems?|domain) (was |were |has been |have been |got )?(hacked|breached|compromised|accessed|defaced)/,
      4,
      'an organisation’s systems were accessed',
    ),
    cue(
      /\b(data breach|breach of (our |customer |client )?data|customer data|client data|personal data (was |were )?(stolen|taken|leaked)|data (was |were )?(stolen|exfiltrated|leaked)|defaced)\b/,
      3,
      'data was stolen or leaked',
    ),
    cue(
      /\b(our|the company s|the business s|the school s|the council s|the charity s) (server|network|systems?|website|database)/,
      1.5,
      'the organisation’s systems',
    ),
  ],
  'hacking-pbx': [
    cue(
      /\b(pbx|voip|phone system|telephone system|switchboard|dial through|dial-through|premium rate|international calls|calls to (premium|international))/,
      4,
      'a business phone system was used to make calls',
    ),
  ],
  'hacking-extortion': [
    cue(
      /\bransomware|files? (were |are |have been )?encrypted|encrypted (all )?(our |the |my )?(files|data|systems|servers)|lockbit|ransom note|decrypt/,
      5,
      'ransomware or encrypted files',
    ),
    cue(
      /\b(pay|payment|bitcoin|cryptocurrency|ransom)\b.{0,60}\b(or (they|we) (will )?(leak|publish|release|sell))|threaten(ed|ing)? to (leak|publish|release|sell) (our |the )?(data|files|information)/,
      4,
      'a demand for payment to stop data being leaked',
    ),
  ],
  malware: [
    cue(
      /\b(virus|viruses|malware|trojan|spyware|keylogger|key logger|cryptominer|crypto miner|adware|rootkit|infected|infection|worm)\b/,
      3,
      'malicious software',
    ),
    cue(/\bpop ?ups?\b|\bpopups?\b/, 1, 'pop-ups'),
  ],
  'denial-of-service': [
    cue(
      /\bddos|denial of service|flooded (with )?(traffic|requests)|(website|site|server|service|network) (was |went |is |has been |knocked )?(down|offline)|botnet|traffic (spike|flood)/,
      4,
      'a website or service was flooded offline',
    ),
  ],
  'online-shopping-fraud': [
    cue(
      /\b(never (arrived|came|received|turned up|delivered|showed)|not (arrived|received|delivered)|didn t (arrive|come|receive)|did not (arrive|come|receive)|no (item|goods|delivery|parcel) (arrived|received)?|item was fake|counterfeit|fake (item|goods|tickets?|designer))/,
      3,
      'goods paid for never came or were fake',
    ),
    cue(
      /\b(bought|buy|buying|purchased|purchase|ordered|order|paid (for|a deposit)|deposit for|selling|sold|seller|buyer)\b/,
      1.5,
      'buying or selling',
    ),
    cue(
      /\b(marketplace|ebay|gumtree|vinted|depop|shpock|preloved|etsy|amazon seller|online shop|website selling|facebook marketplace|auction)\b/,
      2,
      'an online marketplace or shop',
    ),
    cue(
      /\b(puppy|puppies|kitten|dog|cat|car|van|caravan|motorbike|tickets?|concert|festival|holiday|villa|apartment|flat to rent|rental|sofa|phone|iphone|ps5|console|trainers|laptop for sale|tyres|parts|furniture|hot tub)\b/,
      0.5,
      'something bought',
    ),
  ],
  'investment-fraud': [
    cue(
      /\b(invest|invested|investing|investment|investments|trading|trader|trade|broker|forex|fx|platform|portfolio|returns?|profits?|dividend|shares|stocks|bonds|pension|pensions|mining pool|staking|yield)\b/,
      2,
      'an investment or trading platform',
    ),
    cue(
      /\b(cryptocurrency|bitcoin|ethereum|tether|binance|coinbase|crypto wallet|wallet)\b/,
      1,
      'cryptocurrency',
    ),
    cue(
      /\bwithdraw(al)? fee|couldn t withdraw|can t withdraw|unable to withdraw|wouldn t let (me|him|her) withdraw/,
      2,
      'could not withdraw the money',
    ),
  ],
  'romance-fraud': [
    cue(
      /\b(dating|tinder|bumble|hinge|match com|plenty of fish|pof|online relationship|met (him|her|them|a man|a woman|someone) (online|on facebook|on instagram|on a dating)|boyfriend|girlfriend|fell in love|in love|lonely|soldier|oil rig|army doctor|widower|sweetheart|romance|romantic|marry|marriage|fiance)\b/,
      3,
      'a relationship that started online',
    ),
  ],
  'advance-fee-fraud': [
    cue(
      /\b(lottery|prize|won|winnings|inheritance|beneficiary|lawyer fee|release fee|processing fee|admin fee|upfront fee|fee (to|for) (release|unlock|receive|process)|loan (fee|arrangement)|guaranteed loan|grant|compensation|job offer|work from home job|recruitment fee|training fee|customs fee|clearance fee|refund fee)\b/,
      3,
      'a fee to unlock a prize, loan, job or refund',
    ),
  ],
  'impersonation-fraud': [
    cue(
      /\b(hi mum|hi dad|new number|new phone number|lost (my|her|his) phone)\b/,
      4,
      'a message pretending to be a family member',
    ),
    cue(
      /\b(pretending|pretended|posing|posed|claiming|claimed|purporting|purported|said (he|she|they) (was|were)|impersonat\w*) (to be |as )?(from )?(the |my |a |an )?(bank|police|officer|detective|hmrc|tax|dwp|council|court|solicitor|amazon|bt|sky|virgin|microsoft|fraud (team|department)|courier|dvla|nhs|royal mail|energy|ofgem|tv licensing|family|son|daughter|relative)/,
      4,
      'someone pretending to be a bank, the police, an organisation or a relative',
    ),
    cue(
      /\b(safe account|move (the |my |her |his )?money to (a )?safe|courier (came|collected|to collect)|collect (the |my |her )?(cash|card|money|gold)|fraud (team|department) (called|rang|phoned)|bank (called|rang|phoned)|police officer (called|rang|phoned)|hmrc (called|rang|said)|arrest warrant|tax bill)\b/,
      3,
      'an authorised payment after a call from someone claiming authority',
    ),
    cue(/\b(spoofed|spoofing) (number|call|phone)/, 2, 'a spoofed phone number'),
  ],
  'business-email-compromise': [
    cue(
      /\b(invoice|invoices|supplier|suppliers|mandate|bank details (were |had been )?(changed|updated|amended)|change of bank details|new bank details|updated bank details|payment instructions|ceo|managing director|finance director|finance team|accounts payable|spoofed email|lookalike domain|look alike domain|conveyancing|completion monies|solicitor s (bank|account) details)\b/,
      2.5,
      'an invoice, supplier or changed bank details',
    ),
  ],
  'tech-support-fraud': [
    cue(
      /\b(tech support|technical support|it support|computer support|broadband (support|engineer|team)|microsoft (support|technician|engineer|called|rang)|bt (called|rang|openreach|broadband|engineer)|internet (provider|engineer) (called|rang)|anydesk|teamviewer|team viewer|ultraviewer|supremo|quick ?support|remote (access|control|desktop)|took (control|over) (of )?(my|her|his) (computer|laptop|pc|screen)|refund (for|of) (the )?(subscription|norton|mcafee|antivirus))\b/,
      4,
      'a fake computer or broadband support service',
    ),
  ],
  'card-account-fraud': [
    cue(
      /\b(card|cards|debit card|credit card|bank card)\b.{0,50}\b(used|cloned|payments?|transactions?|charged|taken)|\b(unauthorised|unrecognised|fraudulent|unknown) (payments?|transactions?|debits?|withdrawals?|purchases?|charges?|direct debits?)/,
      4,
      'a card or account used without permission',
    ),
    cue(
      /\b(bank account|online banking|banking app|current account|savings account|paypal account|account) (was |has been |got )?(emptied|drained|accessed|cleared|taken over)|money (was |has been )?(taken|withdrawn|removed) from (my |her |his |our )?(bank|account)|without (my|her|his) (permission|knowledge|authority|consent)/,
      3,
      'money taken from an account without permission',
    ),
  ],
  sextortion: [
    cue(
      /\b(intimate|naked|nude|nudes|explicit|sexual|sex|private) (images?|pictures?|photos?|videos?|pics|content|chat|acts?)|\bwebcam\b|\bon camera\b|\bvideo call\b/,
      2,
      'intimate images or videos',
    ),
    cue(
      /\b(share|send|post|publish|leak|release|show)\b.{0,40}\b(friends|family|contacts|followers|everyone|employer|wife|husband|partner|online|internet)|unless (i|he|she|they|we) pay|or (they|he|she) (will|would) (share|send|post)/,
      2,
      'a threat to share them',
    ),
  ],
  'online-harassment': [
    cue(
      /\b(harass\w*|stalk\w*|troll\w*|bully\w*|cyberbully\w*|abuse|abusive|threat\w*|hate|racist|homophobic|intimidat\w*|malicious communications?|fake profile|impersonation account|keeps? (messaging|contacting|posting)|won t leave me alone|won t stop)\b/,
      2.5,
      'harassment, threats or abuse online',
    ),
    cue(
      /\b(ex partner|ex husband|ex wife|ex boyfriend|ex girlfriend|my ex|neighbour)\b/,
      1,
      'someone known to the victim',
    ),
  ],
  'child-sexual-abuse': [
    cue(
      /\b(grooming|groomed|indecent images?|iioc|child abuse images?|csam|sexual communication with a child|meet (a |the )?child|underage|under age|paedophile|pedophile)\b/,
      6,
      'online sexual abuse of a child',
    ),
  ],
  'phishing-attempt': [
    cue(
      /\b(phishing|phish|suspicious|scam|spam|fake) (email|e mail|text|message|website|site|link|call|sms)s?\b|\bparcel (is )?(held|waiting)|\bmissed (a )?delivery|\bredelivery fee|\btax refund\b|\bhmrc refund\b/,
      2,
      'a suspicious message or website',
    ),
    cue(
      /\b(did not|didn t|have not|haven t|never) (click|clicked|open|opened|reply|replied|respond|responded|enter|entered|give|gave|lose|lost|pay|paid)|nothing (was )?(lost|taken|entered)|no (money )?(was )?(lost|loss|taken)|deleted (it|the (email|text|message))|forwarded (it )?to 7726|reported (it )?to (sers|report phishing)/,
      2.5,
      'nothing was lost, clicked or entered',
    ),
  ],
  other: [],
};

const CHILD =
  /\b(age(1[0-7]|[4-9])|child|children|kid|kids|my (son|daughter|grandson|granddaughter|nephew|niece)|teenager|teen|pupil|schoolgirl|schoolboy|year \d+ pupil|minor|underage|under age|13|14|15|16 year)\b/;
const SEXUAL =
  /\b(sexual|sex|naked|nude|nudes|indecent|explicit|intimate|grooming|groomed|private (pictures|photos|images)|pics of (her|him)self|meet up|send (him|her|them) (photos|pictures|pics))\b/;
const RANSOM =
  /\b(ransom|ransomware|encrypted|decrypt|extort\w*|blackmail\w*|demand\w*|pay (up|or)|unless (i|we|he|she|they) pay|bitcoin to|cryptocurrency to|threaten\w* to (leak|publish|release|share|post|send))\b/;
const DDOS = CUES['denial-of-service'][0]?.pattern ?? /$^/;
const INTRUSION =
  /\b(hacked|hacker|hacking|breached|breach|compromised|accessed|ransomware|encrypted|unauthorised access|got into)\b/;
const LOSS =
  /\b(money|lost|paid|transferred|sent (him|her|them|money)|withdrawn|taken|stolen|debited|charged|out of pocket)\b/;
const NO_LOSS =
  /\b(no (financial )?loss|nothing (was )?(lost|taken)|did not lose|didn t lose|have not lost|haven t lost|no money (was )?(lost|taken))\b/;
const VULNERABLE =
  /\b(age(7\d|8\d|9\d|1[0-7]|[4-9])|elderly|pensioner|dementia|alzheimer\w*|disabled|disability|learning (difficult\w*|disabilit\w*)|autis\w*|mental health|vulnerable|blind|deaf|carer|care home|lives alone|repeat victim|again|second time|third time|suicidal|confused)\b/;

function scores(text: string): { category: Category; score: number; reasons: string[] }[] {
  return (Object.keys(CUES) as Category[])
    .map((category) => {
      const reasons: string[] = [];
      let score = 0;
      for (const c of CUES[category]) {
        if (c.pattern.test(text)) {
          score += c.weight;
          reasons.push(c.label);
        }
      }
      return { category, score, reasons };
    })
    .sort((a, b) => b.score - a.score);
}

function result(
  category: Category,
  confidence: number,
  reasons: string[],
  flags: { extortion: boolean; vulnerable: boolean },
): Classification {
  return {
    category,
    cyber: CATEGORIES[category].cyber,
    code: recordingCode(category, flags.extortion),
    confidence: Math.round(Math.min(0.99, Math.max(0.05, confidence)) * 100) / 100,
    extortion: flags.extortion,
    vulnerable: flags.vulnerable,
    reasons: [...new Set(reasons)],
  };
}

/** Decides a report's category from the journey's answers where it has them, and from the narrative otherwise. */
export function classify(input: ClassificationInput): Classification {
  const text = normaliseText(input.text);
  const extortion = RANSOM.test(text);
  const vulnerableWords = VULNERABLE.exec(text);
  const vulnerableAnswer = (input.vulnerability ?? []).some((v) => v !== 'none');
  const flags = { extortion, vulnerable: vulnerableAnswer || vulnerableWords !== null };
  const flagReasons = [
    ...(extortion ? ['a demand for payment under threat'] : []),
    ...(vulnerableAnswer ? ['the reporter said the victim may need extra support'] : []),
    ...(vulnerableWords ? [`the narrative suggests a vulnerable victim (“${vulnerableWords[0]}”)`] : []),
  ];

  if (input.chosenCategory !== undefined) {
    return result(
      input.chosenCategory,
      0.95,
      [`the reporter chose “${input.chosenCategory}”`, ...flagReasons],
      flags,
    );
  }
  const ranked = scores(text);
  const top = ranked[0] ?? { category: 'other' as Category, score: 0, reasons: [] };
  const second = ranked[1]?.score ?? 0;
  const confidence = top.score === 0 ? 0.2 : top.score / (top.score + second + 1.5);

  // Rules of thumb, in the taxonomy's order: a child at risk always wins; extortion beats intrusion.
  if (CHILD.test(text) && SEXUAL.test(text) && !/\bmy (ex|partner|wife|husband)\b/.test(text)) {
    return result(
      'child-sexual-abuse',
      0.9,
      ['a child at risk of sexual abuse always takes priority', ...flagReasons],
      flags,
    );
  }
  if (extortion && DDOS.test(text))
    return result(
      'denial-of-service',
      0.9,
      ['a website or service was flooded offline', ...flagReasons],
      flags,
    );
  const sextortion = ranked.find((r) => r.category === 'sextortion');
  if (extortion && (sextortion?.reasons.length ?? 0) >= 1 && SEXUAL.test(text)) {
    return result('sextortion', 0.85, [...(sextortion?.reasons ?? []), ...flagReasons], flags);
  }
  if (extortion && INTRUSION.test(text))
    return result(
      'hacking-extortion',
      0.9,
      ['extortion after an intrusion beats the intrusion itself', ...flagReasons],
      flags,
    );

  // An attempt with no loss and no access is intelligence, not a crime.
  const phishing = ranked.find((r) => r.category === 'phishing-attempt');
  if (
    (phishing?.score ?? 0) >= 2 &&
    (NO_LOSS.test(text) || !LOSS.test(text)) &&
    !INTRUSION.test(text) &&
    top.category !== 'online-harassment'
  ) {
    return result(
      'phishing-attempt',
      Math.max(confidence, 0.7),
      [...(phishing?.reasons ?? []), 'no loss and no access', ...flagReasons],
      flags,
    );
  }
  if (top.score === 0) return result('other', 0.2, ['no phrase matched a category', ...flagReasons], flags);
  return result(top.category, confidence, [...top.reasons, ...flagReasons], flags);
}
