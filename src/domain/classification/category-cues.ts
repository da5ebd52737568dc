/**
 * Data for step 2 of the classifier: the phrase cues for each category and the signals its rules of thumb read.
 * No logic here; the engine (classify.ts) reads these tables.
 */
import type { Category } from './taxonomy.ts';
import type { Medium } from './online-cues.ts';

export interface CueSpec {
  /** Stable id, "category.name": the rules of thumb and explanations refer to cues by it. */
  id: string;
  pattern: RegExp;
  weight: number;
  label: string;
}

const c = (id: string, pattern: RegExp, weight: number, label: string): CueSpec => ({
  id,
  pattern,
  weight,
  label,
});

/*
 * Patterns run on normalised text (see normaliseText): lower case, single spaces, " . " between sentences,
 * amounts as "money", ages as "age84", shorthand and Welsh keywords already in plain English. "\w+ " never
 * crosses a sentence break, so "(?:\w+ ){0,3}" means "up to three words in the same sentence".
 */
const SOCIAL =
  '(?:facebook|instagram|snapchat|tiktok|twitter|x account|linkedin|whatsapp|discord|messenger|youtube|telegram|reddit|twitch|social media|yahoo(?: email)?|gmail|hotmail|outlook|aol|email|emails|google|uni email|work email|inbox)';
const PERSONAL =
  '(?:laptop|computer|pc|mac|macbook|phone|mobile|tablet|ipad|iphone|android|router|wifi|home network|webcam|camera|cameras|ring doorbell|ring camera|doorbell|ring account|ring app|nest|hive|arlo|alexa|smart \\w+|heating|nas|netflix|disney|spotify|steam|playstation|psn|xbox|nintendo|fortnite|roblox|minecraft|epic games|epic|ubisoft|battle net|valorant|riot|league of legends|call of duty|activision|blizzard|runescape|ea|gaming|deliveroo|just eat|uber|uber eats|sky|sky go|now tv|prime video|audible|amazon|apple id|icloud|onedrive|dropbox|universal credit|government gateway|password manager|cctv|security system|alarm system|live feeds?|tesla|car app|chromebook|baby monitor|monitor app|smart speaker|echo|google home|smart tv|strava|garmin|fitbit|peloton|clubcard|nectar|vinted|depop|device)';
/** "Our", unless what follows is a household device or a social media page (not an organisation's system). */
const ORG_OUR =
  'our(?! (?:\\w+ ){0,2}?(?:hive|heating|alexa|ring|nest|wifi|router|home|family|smart \\w+|baby monitor|cameras?|doorbell|facebook|instagram|tiktok|twitter|snapchat|whatsapp|youtube)\\b)';
const ORG =
  '(?:' +
  ORG_OUR +
  '|company|business|firm|school|college|university|council|charity|surgery|practice|hospital|club|organisation|hotel|shop|staff|corporate|office|employer|trust|academy|nursery|church|clinic|pharmacy|retailer)';
const ORG_SYSTEM =
  '(?:website|web site|site|server|servers|network|systems?|database|crm|sharepoint|microsoft 365|office 365|google workspace|workspace|aws|azure|cloud|cloud storage|tenancy|booking system|membership system|mis|portal|admin account|admin portal|intranet|records|mailbox|mailboxes|hosting|domain|wordpress|checkout|payroll|file share|vpn|page|platform|account|panel|admin panel|control panel|backend|back end|dashboard|store|app)';
const AUTHORITY =
  '(?:bank|banks|fraud (?:team|department|dept)|security team|bank security|police|scotland yard|policeman|officer|detective|dc|ds|met police|hmrc|home office|tax office|dwp|court|bailiffs?|solicitor|water company|electricity|energy (?:company|supplier)|gas company|utility|tv licensing|tv licen\\w*|dvla|immigration|embassy|national crime agency|amazon|council|sky|bt|virgin media|talktalk|vodafone|o2|royal mail|evri|dpd|nhs|ofcom|barclays|natwest|lloyds|santander|hsbc|halifax|nationwide)';
const BANKS =
  '(?:online banking|banking app|bank app|bank account|bank|paypal|revolut|monzo|starling|klarna|clearpay|chase|wise|halifax|barclays|natwest|lloyds|santander|hsbc|nationwide|tsb|metro bank|first direct|credit union|building society)';
const RELATIVE =
  '(?:son|daughter|grandson|granddaughter|cousin|nephew|niece|sister|brother|mum|dad|friend|boss|manager|support worker)';

/**
 * Phrases that point to each category: an id (decisions refer to cues by it), the pattern, a weight and the plain
 * words used to explain it.
 */
export const CATEGORY_CUES: Readonly<Record<Category, readonly CueSpec[]>> = {
  'hacking-social-email': [
    c(
      'hacking-social-email.account-taken-over',
      new RegExp(
        `\\b${SOCIAL}(?: (?:account|accounts|page|profile|messenger))? (?:(?:\\w+ ){0,7}?(?:was|were|has been|had been|have been|got|been|is|being|has|had) )?(?:hacked|compromised|breached|taken over|accessed|hijacked|logged into|broken into)|\\b${SOCIAL}(?: (?:account|accounts|page|profile))? (?:\\w+ ){1,5}?(?:someone|somebody|a stranger|a hacker|hackers) (?:else )?(?:logged|logging|got|signed) (?:in|on)\\b`,
      ),
      4,
      'an email or social media account was taken over',
    ),
    c(
      'hacking-social-email.got-into-account',
      new RegExp(
        `\\b(?:someone|somebody|he|she|they|my (?:boss|manager|ex|partner|husband|wife)) (?:is |has been |was |had been |keeps )?(?:reading|accessing|going into|looking at) (?:my|her|his) (?:work |personal |private )?(?:emails|email|inbox)\\b|` +
          `\\b(?:hacked|hacking|accessed|accessing|compromise of|compromised|hijacked|taken over|took over|taken control of|took control of|control of|unauthorised (?:access|login|log in) to|(?:can not|could not|unable to) (?:log|get|sign) (?:in|into|in to|back into)|got into|get into|logged into|logging into|locked (?:me )?out of|access to|is in|are in|reset) (?:my |her |his |their |the |our |victim |victims |someone |my husband |my wife |my son |my daughter )?(?:\\w+ )?(?:own |personal |business |small business |uni |work |main )?(?:account |accounts )?${SOCIAL}\\b`,
      ),
      4,
      'someone got into an email or social media account',
    ),
    c(
      'hacking-social-email.details-changed',
      /\b(?:changed|changing|reset) (?:my |the |her |his )?(?:password|email|recovery|username|profile|phone number|2fa|two factor)\w*\b|\b(?:not (?:been )?able to|unable to|can not|could not) (?:get|log|sign) (?:back )?in(?:to)?\b|\b(?:code|codes|verification code) (?:\w+ ){0,4}(?:did not|never) (?:request|ask for)\b|\b(?:password|recovery \w+|email|email address|phone number|username)\b(?: \w+){0,3} (?:was|were|had been|has been|have been) changed\b|\bcan not (?:get|log) (?:back )?in\b|\blocked out\b|\bregained\b|\brecover(?:ed|y)? (?:the |my )?account\b|\blogin alert\b|\bforwarding rules?\b|\bauto ?forward\w*|\b(?:sign ?in|log ?in|login) (?:\w+ ){0,2}from\b|\b(?:i|we) (?:did not|never) (?:write|send|sent|post|posted)\b/,
      1.5,
      'the password or recovery details were changed',
    ),
    c(
      'hacking-social-email.messages-sent',
      /\b(?:posting|posted|sending|sent|messaging|spamming|spam) (?:\w+ ){0,4}(?:from (?:my|her|his|the|it|their) (?:own )?(?:account|page|profile|email)|to (?:all )?(?:my|her|his|their) (?:friends|contacts|followers|connections|address book|servers))|\b(?:my|her|his) (?:account|page|email) (?:is |was |has been |keeps )?(?:sending|posting|messaging|spamming)\b|\bis this you\b|\bgiveaway\b|\bfake job offers\b|\b(?:account|email|gmail|hotmail|outlook|yahoo|facebook|instagram|whatsapp) (?:\w+ ){0,2}(?:sent|sending|is sending|has sent|posted|posting) (?:out )?(?:\w+ ){0,3}(?:spam|emails|messages|links|posts)\b/,
      2,
      'messages were sent from the account',
    ),
  ],
  'hacking-personal': [
    c(
      'hacking-personal.device-accessed',
      new RegExp(
        `\\b${PERSONAL}(?: account| accounts| app| system| settings| profile)? (?:\\w+ ){0,2}?(?:was |were |has been |had been |have been |got |been |is being |being )?(?:hacked|compromised|accessed|taken over|broken into|hijacked|breached|infiltrated|logged into|logged in to|signed into)|\\b${PERSONAL} (?:account|accounts|login|profile|details) (?:was |were |has been |got |been )?stolen|\\b${PERSONAL} (?:live )?(?:account|accounts) (?:was |were |has been |got )taken\\b`,
      ),
      3,
      'a personal device or online account was accessed',
    ),
    c(
      'hacking-personal.got-into-device',
      new RegExp(
        `\\b(?:someone|somebody|hacker|hackers|they|he|she|ex|partner|neighbour|man|stranger|suspect|offender|fraudster|scammer|unknown \\w+|person|criminals?)\\w* (?:\\w+ ){0,4}(?:got into|gets into|accessed|accessing|hacked|hacking|logging into|logged into|logs into|controlling|took control of|went into|went through|into|(?:has |have |had )?been (?:in|on|using)|is (?:in|using)|(?:are|were) (?:in|using)) (?:my|her|his|their|our|the|victim|victims) (?:(?:son|daughter|husband|wife|partner|child|mum|dad|mother|father|grandson|granddaughter) s )?(?:home |own |personal |school )?${PERSONAL}`,
      ),
      3,
      'someone got into a personal device or account',
    ),
    c(
      'hacking-personal.signs-of-use',
      /\b(?:someone is|somebody is|someone s|there is someone) in my (?:laptop|computer|pc|phone|network)\b|\bmouse (?:moves|moving|moved)\b|\bon (?:its|their) own\b|\bby (?:itself|themselves)\b|\b(?:device|login|log in|sign in|session) (?:in|from) (?:another|a different|a strange|an unknown) (?:city|country|town|location)\b|\b(?:login|sign in|logins|sessions?) from (?:a |an )?(?:device|city|location|country|place|iphone|phone)|\bunknown devices?\b|\bdevice i (?:do not|don t) (?:know|own|recognise)|\b(?:voice|talking|speaking|shouting|spoke|speaks|talked|shouted) (?:\w+ ){0,3}through (?:(?:the |our |my )?(?:\w+ )?(?:camera|doorbell|speaker|baby monitor)|it|them)\b|\b(?:logged|signed|log|sign) (?:in|into|on)(?: to)? (?:\w+ ){0,2}from (?:another|a different|an unknown|a strange|a new) (?:location|city|country|town|device|place)\b|\b(?:added|registered) (?:a )?new (?:device|phone)\b|\bport forwarding\b|\b(?:router|wifi|network) (?:\w+ ){0,3}(?:new admin (?:user|account)|admin user (?:\w+ )?added)\b|\bstrange devices? (?:\w+ ){0,3}on (?:the |our |my )?(?:network|wifi)\b|\bcracked (?:\w+ ){0,2}(?:wifi )?password\b|\bfingerprint\b|\bsign in email\b|\blog ?ins? (?:i|we) (?:did not|do not) (?:make|recognise)\b|\b(?:watching|viewing) (?:\w+ ){0,2}(?:camera|cameras|footage)\b|\bdevices? (?:\w+ ){0,4}(?:i|we) (?:do not|did not) (?:recognise|know)\b|\b(?:router|wifi|camera|doorbell|heating|account|device) (?:settings|password|admin \w+) (?:\w+ ){0,2}(?:were|was|have been|has been|keep being) changed\b|\b(?:accessing|accessed|using|controlling) (?:it|them|his \w+|her \w+|my \w+) remotely\b|\bremotely accessed\b|\bpassword manager\b|\b(?:which|that) (?:i|we) (?:did not|never) (?:do|make|request|change|authorise|give|place)\b|\bsomeone else (?:is |has been |was )?(?:on|using|in|logged into) (?:my |the |our )?(?:account|profile)\b|\bguessed (?:my|her|his|the) password\b|\b(?:wiped|erased|locked) remotely\b|\bremotely (?:wiped|erased|locked)\b|\b(?:someone else s|another|a different) (?:apple id|icloud|google account)\b|\bno longer (?:has|have|had) access\b|\b(?:using|used) (?:my|her|his|their|victim) old (?:account|profile|login)\b|\b(?:someone|somebody|they|he|she) (?:has|had|got|knows) (?:my|her|his) (?:login|log in|password|details)\b|\b(?:two factor|2fa|two step|multi factor) (?:\w+ ){0,2}(?:turned off|disabled|removed|switched off)\b|\bnew (?:user|users|voice profiles?|profiles?) (?:\w+ ){0,4}(?:i|we) (?:did not|never) (?:set up|add|create)\w*/,
      2.5,
      'signs of someone else using the device or account',
    ),
    c(
      'hacking-personal.access-to-device',
      new RegExp(
        `\\b(?:unauthorised access|unauthorised login|unauth access|gained access|access|compromise of) (?:to |of |into )?(?:my |her |his |their |the |victim |victims )?(?:personal |home |own )?${PERSONAL}|\\b(?:used|using) (?:my|her|his|their|victim) (?:\\w+ )?${PERSONAL} account`,
      ),
      2.5,
      'someone got into a personal device or account',
    ),
    c(
      'hacking-personal.unauthorised-access',
      /\bunauthorised access\b|\bremote desktop\b/,
      1.5,
      'unauthorised access',
    ),
    c(
      'hacking-personal.account-taken-over',
      /\b(?:account|accounts|login|profile) (?:\w+ ){0,2}(?:was |were |has been |had been |got )?(?:hacked|hijacked|compromised|taken over|breached|stolen|accessed)\b|\b(?:taken over|took over|hijacked|hacked|got into|accessed|logging into|logged into) (?:my|her|his|their) (?:\w+ ){0,3}(?:account|accounts|login|profile)\b|\b(?:added|new) (?:a |an )?(?:new )?(?:admin|user|users|device|devices|member)\b (?:\w+ ){0,5}(?:i|we) (?:never|did not)\b|\b(?:i|we) (?:never|did not) (?:do|did) (?:that|this)\b/,
      1.5,
      'an online account was taken over',
    ),
    c(
      'hacking-personal.access-without-permission',
      /\b(?:hacked|hacker|hacking|accessed|logging into|logged into)\b/,
      0.5,
      'access without permission',
    ),
  ],
  'hacking-server': [
    c(
      'hacking-server.systems-accessed',
      new RegExp(
        `\\b${ORG}\\w* (?:\\w+ ){0,3}?${ORG_SYSTEM} (?:\\w+ ){0,4}?(?:was |were |has been |had been |have been |got |been |is |being )?(?:hacked|breached|compromised|accessed|defaced|replaced|taken over|exfiltrated|injected|logged into|infiltrated|leaked|posted|published|deleted|wiped)`,
      ),
      4,
      'an organisation’s systems were accessed',
    ),
    c(
      'hacking-server.broke-into-systems',
      new RegExp(
        `\\b(?:hacked|accessed|breached|compromised|got into|broke into|broken into|infiltrated|defaced|took over|logged into|logging into) (?:into )?(?:${ORG_OUR}|the company|the business|the school|the council|the charity|the surgery|the practice|the club) (?:\\w+ ){0,2}?${ORG_SYSTEM}\\b`,
      ),
      4,
      'an organisation’s systems were accessed',
    ),
    c(
      'hacking-server.data-taken',
      /\b(?:data breach|breach of|customers? (?:card )?(?:data|database|list|records|details|numbers)|client (?:data|list|records|files)|patient (?:data|records|details)|student records|pupil records|member(?:ship)? (?:data|database|list|records)|donor (?:list|data|database)|staff (?:data|records)|personal data|(?:data|records|database|files) (?:\w+ ){0,2}(?:stolen|exfiltrated|leaked|downloaded|posted|published|dumped)|exfiltrat\w*|defaced|sql injection|malicious code|redirecting (?:visitors|customers|users|shoppers|buyers)|redirect\w* (?:our )?(?:customers|visitors|users) to (?:a )?(?:fake|fraudulent|different|another)|admin (?:password|account|credentials|portal|panel)|former (?:employee|contractor|member of staff|staff member|developer|supplier|it \w+)|ex (?:employee|contractor|staff)|still had access|had access to (?:our|the)|leaked (?:access )?keys|access keys|new user accounts|threat actor)\b/,
      2.5,
      'data was taken from an organisation’s systems',
    ),
    c(
      'hacking-server.access-to-systems',
      new RegExp(
        `\\b(?:unauthorised access|access|accessed|breach|compromise|intrusion) (?:to|of|into) (?:its|their|our|the (?:council|company|school|firm|charity|trust|practice|business) s) (?:\\w+ ){0,2}${ORG_SYSTEM}\\b|\\bcompromised (?:\\w+ ){0,2}(?:vpn|contractor|supplier|admin) (?:\\w+ )?account\\b`,
      ),
      3,
      'an organisation’s systems were accessed',
    ),
    c(
      'hacking-server.former-insider',
      /\b(?:former|ex) (?:employee|member of staff|staff member|colleague|contractor|director|partner|it contractor) (?:\w+ ){0,5}(?:still had|kept|used|using|with) (?:\w+ ){0,2}(?:login|logins|access|password|passwords|credentials|details)\b|\baudit logs?\b/,
      3.5,
      'a former insider’s login used on an organisation’s systems',
    ),
    c(
      'hacking-server.tenant-accessed',
      /\b(?:tenant|tenancy|365|workspace|sharepoint) (?:\w+ ){0,2}(?:was |were |has been |had been )?(?:accessed|compromised|breached|hacked)\b|\b(?:mailbox|inbox|forwarding) rules?\b/,
      4,
      'an organisation’s cloud tenancy was accessed',
    ),
    c(
      'hacking-server.org-systems',
      /\b(?:microsoft 365|office 365|365 mailbox\w*|google workspace|sharepoint|tenancy|aws|azure|crm|staff (?:email|mailbox\w*|portal)|company (?:email|server|network|website|site|database)|hosting (?:account|acct|provider|company)|web developer|wordpress|plugin|messaging (?:system|platform)|(?:patients|customers|clients|pupils|parents|members|donors|users|staff|employees) (?:\w+ ){0,3}(?:received|got|were sent|reported))\b/,
      1.5,
      'an organisation’s systems or cloud',
    ),
  ],
  'hacking-pbx': [
    c(
      'hacking-pbx.phone-system',
      /\b(?:pbx|voip|sip|phone system|telephone system|telephony|phone line provider|phone provider|switchboard|dial through|toll fraud|call forwarding|extension (?:passwords?|numbers?|\d+)|extensions|voicemail|outbound routes?)\b/,
      3,
      'a business phone system',
    ),
    c(
      'hacking-pbx.premium-calls',
      /\b(?:calls?|calling|call volume|minutes) (?:\w+ ){0,3}(?:premium|international|overseas|abroad|satellite|foreign)|\b(?:premium rate|premium|international|overseas|satellite) (?:rate )?(?:numbers|calls|destinations|phone numbers)\b|\bphone bill\b|\bmake calls\b|\brouting (?:their )?calls\b|\b(?:made|making) (?:\w+ ){0,4}calls\b|\bcalls (?:were |being )?made\b|\b(?:hundreds|thousands) of (?:\w+ )?calls\b|\bcall charges\b/,
      3.5,
      'calls to premium or international numbers',
    ),
  ],
  'hacking-extortion': [
    c(
      'hacking-extortion.ransomware',
      /\bransomware\b(?! like)|\bransom note\b|\b(?:files|documents|data) (?:\w+ ){0,2}(?:would not|will not|won t|can not|could not|cannot) (?:open|be opened)\b|\b(?:for|buy|sell) the (?:decryption )?key\b|\bdecryption key\b|\b(?:encrypted|locked) (?:all )?(?:our |the |my |his |her |their )?(?:files|data|systems?|servers?|workstations|computers?|network|drives?|photos)|\b(?:files|data|photos|documents|drives?)\b(?: \w+){0,3} (?:encrypted|locked)\b|\b(?:systems?|servers?|workstations|computers?|everything|nas|booking system|network|laptop|pcs?)\b(?: \w+){0,3} encrypted\b|\bdecrypt\w*|\bencryption of (?:\w+ ){0,3}(?:files|data|systems?|servers?|network|drives?|computers?)|\bunlock (?:my |our |his |her |the |their )?(?:files|data|computer|systems?|photos)|\blockbit\b|\bleak site\b|\b(?:demanding|demands|demanded|asking for|wants) (?:money|payment|bitcoin|a payment|money payment) to unlock\b|\b(?:laptop|computer|pc|screen|browser|tablet) (?:was |is |got |has been |had been )?locked (?:\w+ ){0,14}(?:pay|fine|unlock|bitcoin|vouchers)\b|\bstrange extension\b/,
      6,
      'ransomware or encrypted files',
    ),
    c(
      'hacking-extortion.demand',
      /\b(?:publish|leak|release|sell|dump|expose)\w* (?:\w+ ){0,4}(?:data|files|records|information|everything|emails|tax returns|details|customer data)\b|\b(?:unless|or) (?:\w+ ){0,6}(?:publish|leak|release|sell|dump|expose)\w*\b|\b(?:give|get|have|hand) (?:it|them|access|(?:the|my|our|his|her) (?!money|refund|deposit|cash|savings)\w+) back\b|\b(?:returned|restored) for\b|\bfor (?:its|their) return\b|\bto restore (?:it|them|the \w+|our \w+|access)\b/,
      3,
      'a demand for payment to get access back or stop a leak',
    ),
  ],
  malware: [
    c(
      'malware.malicious-software',
      /\b(?:virus|viruses|malware|trojan|spyware|keylogger|key logger|cryptominer|crypto miner|adware|rootkit|infostealer|info stealer|worm|emotet|malicious (?:app|software|program|file|attachment|extension)|stalkerware|ransomware like|(?:unknown|strange|suspicious|hidden|unfamiliar) (?:app|apps|program|programs|software)|cryptocurrency miner|mining (?:software|malware|program)|(?:app|apps|program|programs|software) (?:\w+ ){0,2}(?:i|we|she|he) (?:did not|never) (?:install|download)\w*|(?:extension|toolbar|add on|plugin) (?:\w+ ){0,4}(?:i|we|she|he) (?:never|did not) install\w*)\b/,
      3.5,
      'malicious software',
    ),
    c(
      'malware.infected-device',
      /\b(?:infected|infection|antivirus (?:\w+ ){0,3}(?:found|flagged|detected|says|quarantined|popping|keeps)|(?:flagged|detected|found|quarantined|blocked) by (?:the |our |my )?(?:antivirus|anti virus|defender|security software)|quarantined|browser extension|search results|homepage (?:has )?changed|tabs? (?:keep|keeps) opening|injecting ads|running slow|really slow|so slow|cracked (?:game|software)|game mod|free cleaner|apk|usb stick|browser hijack\w*|forwarding (?:my|her|his|their) (?:texts|messages|calls|emails)|cpu (?:\w+ ){0,2}(?:100|maxed|high)|fan (?:\w+ ){0,2}(?:mad|loud|constantly|non stop)|fake (?:\w+ )?update|adverts? (?:\w+ ){0,3}(?:lock screen|home screen|everywhere)|(?:can not|cannot|unable to) (?:delete|remove|uninstall) (?:it|them|the app|this app)|search(?:es)? (?:\w+ ){0,3}(?:redirect\w*|go to|going to|hijacked)|redirect\w* (?:\w+ ){0,2}to (?:a |an )?(?:weird|strange|different|dodgy|unknown)|reimaged|isolated|(?:app|program|software|extension) (?:\w+ ){0,5}(?:sends|sending|sent) (?:\w+ ){0,3}(?:messages|texts|emails|sms)|(?:app|apps|program|programs) (?:\w+ ){0,2}(?:i|we) (?:did not|never) install\w*)\b|\b(?:(?:sends|sending) (?:\w+ ){0,5}(?:texts|messages|emails|sms)\b(?= (?:\w+ ){0,6}by itself))\b|\b(?:(?:program|programme|app|software|window|pop ?up) (?:\w+ ){0,3}(?:will not|can not|cannot|won t) (?:close|stop|go away|be removed|uninstall))\b/,
      1.5,
      'signs of an infected device',
    ),
    c(
      'malware.downloaded',
      /\b(?:downloaded|installed|opened|plugged in|clicked on) (?:\w+ ){0,4}(?:program|programme|app|file|attachment|extension|game|mod|apk|software|usb|cleaner|converter|toolbar|plugin|crack|keygen|torrent|tool|update|document|doc|pdf|spreadsheet)\b/,
      1.5,
      'something was downloaded or installed',
    ),
    c(
      'malware.hijacked-browser',
      /\b(?:browser|homepage) (?:\w+ ){0,3}(?:goes to|keeps going to|redirect\w*|opens) (?:\w+ ){0,2}(?:fake|weird|strange|different|dodgy)\b|\bextra (?:page|box|screen) (?:\w+ ){0,3}asking for\b/,
      3,
      'a browser taken over, or pages changed as they load',
    ),
    c('malware.pop-ups', /\bpop ?ups?\b|\bpopping up\b|\badverts\b/, 0.5, 'pop-ups'),
  ],
  'denial-of-service': [
    c(
      'denial-of-service.flooded',
      /\bddos\w*|\b(?:requests|traffic|connections)\b[^.]{0,50}\b(?:swamp\w*|flood\w*|overwhelm\w*|overload\w*|hammer\w*)\b|\bjunk (?:traffic|requests)\b|\b(?:vpn|network|server|servers|website|site|service|systems?|live stream|stream) (?:\w+ ){0,2}(?:was |were |got |has been |keeps being )?(?:flooded|overwhelmed|overloaded)\b|\bdenial of service\b|\bdos attack\b|\bbooter\b|\bstresser\b|\bbotnet\b|\bvolumetric\b|\b(?:flood|flooded|flooding|overwhelmed|bombarded|hammered|swamped|hit)\b[^.]{0,40}\b(?:traffic|requests|emails|connections|packets)\b|\b(?:traffic|request|email) (?:flood|spike|surge)\b|\b(?:amounts?|volumes?|lots|masses|waves|millions|thousands) of (?:\w+ )?(?:traffic|requests|connections)\b|\b(?:fake|junk|bot|malicious) traffic\b|\boverwhelmed by (?:an |a )?(?:attack|traffic|requests)\b|\b(?:flooded|flooding|overwhelmed) (?:\w+ ){0,2}(?:offline|down)\b/,
      5,
      'a website or service was flooded offline',
    ),
    c(
      'denial-of-service.knocked-offline',
      /\b(?:knock\w*|kick\w*|boot\w*|take|taking|took|bring\w*|brought|keeps? taking) (?:\w+ ){0,4}(?:offline|down)\b|\btaken offline (?:\w+ ){0,2}by\b/,
      3,
      'a service was knocked offline',
    ),
    c(
      'denial-of-service.went-down',
      /\b(?:internet|connection|site|website|server|service|services|network) (?:\w+ ){0,2}(?:cuts? out|dropped|drops|went down|go down|goes down|going down|keeps going down|offline|unavailable|unusable|attacked|under attack)\b|\bunavailable\b|\bunusable\b/,
      1,
      'a service went down',
    ),
  ],
  'online-shopping-fraud': [
    c(
      'online-shopping-fraud.never-came',
      /\b(?:never|not|nothing|no) (?:\w+ ){0,2}(?:arrived|came|come|turned up|delivered|received|showed up|got (?:it|them|the|my))\b|\b(?:seller|he|she|they) (?:\w+ )?never (?:sent|posted|shipped|dispatched)\b|\b(?:did not|never) (?:get|got|receive|received) (?:in|it|them|the|my|a|an|any)\b|\bno (?:item|goods|delivery|parcel|puppy|kitten|dog|car|vehicle|keys|tickets?|order|sign of)\b|\b(?:arrived|turned up|they are|theyre|it was|they were|item was|goods were|tickets were|ticket was) (?:\w+ ){0,2}(?:fake|fakes|counterfeit|replica|nothing like)|\bwhat (?:came|arrived|turned up) (?:was|were) (?:\w+ ){0,2}(?:fake|fakes|counterfeit|replica|nothing like)|\bcounterfeit\b|\bnothing like the (?:pictures|photos|description)\b|\bfake (?:goods|designer|shop|website|seller|listing|advert|buyer)\b|\b(?:tickets|barcodes?) (?:\w+ ){0,2}(?:invalid|fake|duplicate)|\b(?:tickets?|pdf|barcodes?|qr codes?|e tickets?|vouchers?) (?:\w+ ){0,4}already (?:been )?used\b|\b(?:landlord|seller|owner|company|shop|property|flat|house|villa|website|business) (?:\w+ ){0,2}(?:does not|did not|doesn t) (?:exist|own)|\bnever (?:existed|for rent|for sale)\b/,
      3,
      'goods or tickets paid for never came or were fake',
    ),
    c(
      'online-shopping-fraud.bought-or-sold',
      /(?:^ |\. |\b(?:i|we|victim|he|she|dad|mum|son|daughter|they|grandmother|grandfather|husband|wife|business|company|age\d+)(?: \w+){0,2} )(?:bought|buying|purchased|ordered|booked|paid (?:\w+ ){0,3}(?:for|deposit|first month|rent)|paid by_card|rented|hired|selling|sold|responded to (?:an )?advert|viewed|found (?:a|an) \w+)\b|\b(?:deposit (?:for|on)|holding deposit|to rent|for rent|for sale|escrow|the seller|the buyer|fake buyer|a buyer|buyer (?:said|sent|paid|opened|claimed))\b/,
      2,
      'the victim bought or sold something',
    ),
    c(
      'online-shopping-fraud.online-shop',
      /\b(?:marketplace|ebay|gumtree|vinted|depop|shpock|preloved|etsy|auction|listing|listings|advert|advertised|ad|resale site|online shop|instagram shop|online store|online jeweller|website selling|used car site|too good to be true|half price|\d+ percent off|discount)\b|\b(?:(?:post|posts) (?:on|in) (?:facebook|instagram|tiktok))\b/,
      1.5,
      'an online shop, advert or marketplace',
    ),
    c(
      'online-shopping-fraud.bought',
      /\b(?:puppy|puppies|kitten|kittens|dog|car|van|caravan|motorhome|motorbike|bike|tickets?|concert|festival|gig|holiday|villa|apartment|flat|rental|sofa|furniture|iphone|ps5|ps4|console|trainers|laptop|tyres|wheels|hot tub|shirts?|dress|ring|airpods|hairdryer|machine|scooter|greenhouse|skins|coat|designer|makeup|goods|item|parcel|order)\b/,
      0.5,
      'something bought',
    ),
    c(
      'online-shopping-fraud.seller-vanished',
      /\b(?:blocked me|blocked him|has blocked|deleted (?:his|her|their|the) (?:profile|account|page|listing)|(?:account|page|site|website|number|profile|numbers) (?:\w+ ){0,2}(?:gone|vanished|disappeared|deleted|dead|disconnected)|(?:emails?|email address) (?:\w+ ){0,2}bounce\w*|uncontactable|rings out|domain for sale|chargeback|proof of (?:delivery|postage)|empty box|payment received|screenshot of (?:a |the )?(?:bank )?transfer|refunded (?:them|him|her|the buyer))\b/,
      1,
      'the seller vanished or the buyer lied',
    ),
  ],
  'investment-fraud': [
    c(
      'investment-fraud.money-invested',
      /\b(?:invest|invested|investing|investment|investments|investor)\b|\b(?:(?:kept |keep )?(?:putting|put) (?:more )?money in\b)\b|\b(?:put (?:\w+ )?money in(?:to)? (?:the|a|an|their|his|her) (?:\w+ )?(?:platform|exchange|scheme|app|fund|account))\b/,
      3,
      'money was invested',
    ),
    c(
      'investment-fraud.shares-or-broker',
      /\b(?:broker|brokers|forex|fx|portfolio|dividends?|shares|stocks|bonds?|pension(?! book)|pensions|ipo|isa|annuity|fca|clone firm|cold call\w*|carbon credits?|wine (?:investment|bonds?|cases?)|rare (?:whisky|whiskey) casks?|buy (?:them |it |the \w+ )?back at)\b|\b(?:stock tips)\b|\b(?:stock market)\b/,
      3,
      'shares, bonds, pensions or a broker',
    ),
    c(
      'investment-fraud.trading-or-scheme',
      /\b(?:trading|trade|trades|trader|staking|mining contract|mining pool|token|tokens|nfts?|rug pulled|rug pull|signals|moons|land|plots|planning permission|carbon credits|fine wine|gold|vault|peer to peer|yield|fixed rate|account manager|dashboard|double it|ponzi|pyramid|treasury|clone firm|fca|profits?|returns)\b|\b(?:(?:bitcoin|crypto\w*) (?:scam|fraud|scheme))\b/,
      2,
      'trading, shares, pensions or a scheme',
    ),
    c(
      'investment-fraud.fake-investment',
      /\b(?:guaranteed (?:\w+ ){0,3}(?:returns?|bond|profit|daily)|\d+ percent (?:a |per |each )?(?:year|month|week|day|monthly|daily|weekly|annually|returns?|profit)|(?:returns?|interest|yield|profit) of \d+|at \d+ percent|trading platform|crypto(?:currency)? (?:trading|scheme|platform|app|investment|exchange|thing|firm|signals)|investment (?:club|firm|company|platform|bank|scheme|manager|opportunity)|(?:can not|could not|unable to|not able to|would not let (?:me|him|her|us)|tried to|try to) withdraw|withdraw(?:al)? (?:\w+ ){0,3}(?:fee|tax|pending|button|blocked|frozen)|(?:tax|fee) (?:\w+ ){0,4}before (?:\w+ ){0,3}withdraw\w*|showed (?:\w+ ){0,3}(?:profits?|gains|returns)|helped (?:me|her|him|us) (?:to )?(?:open|set up|create) (?:an? )?(?:\w+ )?(?:account|wallet)|displayed profits|(?:never )?paid (?:anything )?out|upgrad\w* to vip|managed account|unable to sell|returns at first|planning (?:potential|permission)|green belt|land ?banking|staking rewards|rug pull\w*)\b|\b(?:(?:fees?|tax|charges?) (?:\w+ ){0,3}to (?:get (?:it|them|my money|the money) out|withdraw))\b|\b(?:(?:account (?:is |was )?frozen|frozen (?:my|her|his|our) account)(?<=\b(?:invest\w*|trading|platform|exchange|crypto\w*|broker|withdraw\w*|profits?)\b.*))\b/,
      3,
      'a fake investment that would not pay out',
    ),
    c(
      'investment-fraud.cryptocurrency',
      /\b(?:cryptocurrency|bitcoin|ethereum|tether|binance|coinbase|wallet|cold call\w*)\b/,
      0.5,
      'cryptocurrency',
    ),
  ],
  'romance-fraud': [
    c(
      'romance-fraud.relationship',
      /\b(?:dating|tinder|bumble|hinge|match com|plenty of fish|pof|zoosk|eharmony|silver singles|silversingles|ourtime|badoo|muzmatch|online relationship|relationship|(?<!ex )(?:boyfriend|girlfriend)|fiance\w*|fell in love|in love|loves? me|loved me|sweetheart|romance|romantic|marry|married|marriage|proposed|widower|soldier|army|oil rig|loves (?:her|him)|peacekeeper|deployed|stranded abroad|never met|never (?:met|seen) (?:him|her|them) in person|good morning every day|talking (?:to|with) (?:\w+ ){0,3}(?:for|every day)|chatted for|talked every day|met (?:a |this |the )?(?:man|woman|guy|girl|lady|someone|him|her|male|female|suspect)? ?(?:\w+ ){0,2}(?:online|on (?:a |an )?(?:dating|app|facebook|instagram|snapchat|tiktok|game|website|site|social media|insta))|match asked|(?:she|he) never (?:came|turned up|arrived))\b|\b(?:met (?:\w+ ){0,3}?(?:on|via|through) (?:a |an |the )?(?:\w+ )?(?:app|site|website|game|games|gaming|chat|forum|match|facebook|instagram|insta|snapchat|tiktok|twitter|linkedin|whatsapp|telegram|discord|online|internet|social media|words with friends|scrabble))\b|\b(?:(?:talking|chatting|speaking|messaging|talked|chatted|spoke|messaged) (?:to |with |2 )?(?:\w+ ){0,4}(?:for )?(?:\d+|a few|several|many) (?:weeks|months|years))\b/,
      3,
      'a relationship that started online',
    ),
    c(
      'romance-fraud.emergency-money',
      /\b(?:flights?|plane ticket|plane|visa|customs|medical bill|hospital bills?|surgery|rent|bail|leave request|quarantine|contract exit|gift cards|stuck at the airport|stranded|mugging|his belongings|gold shipment|bank account was frozen|to come and see|to visit|to move in|borrow)\b/,
      1,
      'money asked for a personal emergency or visit',
    ),
  ],
  'advance-fee-fraud': [
    c(
      'advance-fee-fraud.promise',
      /\b(?:lottery|prize|won|win|winner|winnings|competition|sweepstake|inheritance|inherited|in a will|left (?:me )?money|beneficiary|deceased|barrister|next of kin|loan|grant|rebate|compensation|ppi|(?:was|am|is|were|are) owed|job|recruiter|recruitment|visa sponsorship|sponsorship|data entry|tasks?|commission|earnings|funding|due diligence|recovery (?:company|firm|agent|service)|get (?:my|the|your|our) (?:\w+ )?(?:money|losses|funds) back|recover (?:\w+ ){0,2}(?:money|losses|funds|cryptocurrency|bitcoin|savings|investment)|reclaim|payout|lump sum|part time job|work from home)\b/,
      2,
      'a prize, loan, job, grant or refund was promised',
    ),
    c(
      'advance-fee-fraud.fee-first',
      /\b(?:release|processing|admin|administration|arrangement|insurance|delivery|registration|legal|solicitor|clearance|customs|handling|activation|upfront|up front|underwriting|training|dbs|certificate|courier|tax|unlock|another|more|further|first repayment|lawyer)\b (?:\w+ ){0,3}?(?:fee|fees|costs?|charge|payment|materials|check)\b|\bpaid (?:\w+ ){0,2}for (?:visa|sponsorship|training|dbs|certificate|registration|delivery|processing|insurance|legal|admin|release|a winner)\b|\bfees?\b (?:\w+ ){0,3}(?:first|upfront|up front|before|to (?:release|unlock|receive|claim|process|get))|\b(?:paid|paying) (?:\w+ ){0,3}(?:upfront|up front)\b|\bpay (?:\w+ ){0,3}(?:first|upfront|up front|for (?:delivery|registration|insurance|processing|release|customs|clearance|admin|taxes|tax|legal|training))\b|\b(?:pay|paid) money (?:for )?(?:delivery|postage|shipping|customs|clearance|release|processing|insurance)\b|\btop (?:up|my account)\b|\bto unlock\b|\bfor a fee\b|\b(?:had|have|has|needed|need|needs) to pay (?:\w+ ){0,5}(?:first|upfront|up front|before)\b|\bpay (?:\w+ ){0,2}in (?:taxes|tax|fees|duty|charges) (?:\w+ ){0,2}to (?:claim|receive|release|get)\b|\bwent negative\b|\bdeposit money to\b|\bpa(?:y|id|ying) (?:their|a|an|the|his|her) (?:\w+ )?fee\b/,
      2.5,
      'a fee had to be paid first',
    ),
  ],
  'impersonation-fraud': [
    c(
      'impersonation-fraud.family-message',
      /\bhi_mum\b|\b(?:had|got|have|has) a new (?:phone )?number\b|\b(?:this is my|it s me|its me|on a|on|from a|texting from a|from an unknown|with a|with) (?:new|different) (?:phone )?number\b|\bnew number\b[^.]{0,40}\b(?:mum|dad|son|daughter)\b|\bphones? (?:is )?broken\b|\b(?:text|texts|message|messages|whatsapp) (?:\w+ ){0,2}(?:from|claiming to be|pretending to be) (?:my |her |his )?(?:son|daughter|mum|dad|mother|father|child|grandson|granddaughter|nephew|niece)\b(?! (?:said|saying) (?:his|her) (?:account|facebook|instagram|whatsapp))|\bdropped (?:my|her|his) phone\b|\bbanking app was locked\b|\b(?:son|daughter|mum|dad|grandson|granddaughter|child)\b[^.]{0,60}\b(?:lost|dropped|broke|smashed|broken) (?:\w+ ){0,2}phone\b/,
      4,
      'a message pretending to be a family member',
    ),
    c(
      'impersonation-fraud.pretending',
      new RegExp(
        `\\b(?:saying|said|claiming|claimed) (?:that )?(?:her|his|my|their|your) (?:${RELATIVE})\\b|\\b(?:pretend\\w*|posing|posed|purport\\w*|impersonat\\w*|supposedly|identifying|claim\\w*(?= (?:to be|as|from|on behalf of)\\b)|stating|(?:calling|rang|phoned|called) (?:me |her |him |them |us )?(?:from|on behalf of)|(?:saying|said|stating|stated|claiming|claimed) (?:that )?(?:he|she|they|it) (?:was|were|is|are)|look(?:s|ed)? like(?: it (?:was|came|is|s))?) (?:to be |as |from |on behalf of )?(?:from )?(?:the |my |a |an |her |his |their |our )?(?:\\w+ )?(?:${AUTHORITY}|${RELATIVE})\\b`,
      ),
      3,
      'someone pretending to be a bank, the police, an organisation or a relative',
    ),
    c(
      'impersonation-fraud.debt-collector',
      /(?<=\b(?:rang|called|phoned|caller|call|calls|ringing|on the phone)\b(?: \w+){0,6}) (?:saying|said|says|claiming|claimed|told (?:me|her|him|them)|stating) (?:that )?(?:i|she|he|we|they|victim) (?:owed|owe|owes|had not paid|have not paid|was in arrears|were in arrears) (?:\w+ ){0,4}(?:council tax|tax|hmrc|fine|bill|tv licen\w*|rent|arrears)\b/,
      3,
      'a caller collecting a debt for an organisation',
    ),
    c(
      'impersonation-fraud.instructed-payment',
      /\b(?:safe|secure|holding) (?:account|acct)\b|\b(?:move|transfer|send|put) (?:\w+ ){0,3}(?:money|savings|funds) (?:to|into)\b|\bto (?:protect|keep) (?:it|them|the money|my money|your money|my savings)\b|\b(?:courier|taxi|driver) (?:\w+ ){0,4}(?:collect\w*|attended|came|take|pick\w* up)\b|\bwestern union\b|\bmoneygram\b|\bmoney transfer\b|\bcollect (?:\w+ ){0,2}(?:cash|card|cards|money|gold)\b|\bgold bars\b|\b(?:gave|handed|give|hand) (?:\w+ ){0,4}(?:card|cards|pin|cash|money|gold|watch|jewellery) (?:\w+ ){0,3}to (?:a |the )?(?:courier|driver|taxi|man|woman|officer)\b|\b(?:withdraw|take out) (?:\w+ ){0,3}(?:cash|money)\b|\bgift cards?\b|\bvouchers\b|\bgoogle play\b|\bread (?:out )?the codes\b|\bbail\b|\bunder investigation\b|\barrest\w*\b|\bwarrant\b|\bprosecut\w*|\btaken to court\b|\bcourt action\b|\bdeport\w*\b|\bcut off\b|\bin arrears\b|\boverdue\b|\bpenalty\b|\bfine\b|\bspoof\w*|\breal (?:number|bank|son|daughter|support worker)\b|\bauthorised push payment\b|\bauthorised the payments?\b|\bsent it myself\b|\bborrow\b|\bpay (?:you |me )?(?:it )?back\b|\bstuck abroad\b|\bcards had been blocked\b|\bknew my (?:name|recent)\b|\bcopy of (?:her|his|my) profile\b|\bwas a copy\b|\b(?:it|that) was not (?:her|him|them|my \w+)\b|\bnot (?:her|him) at all\b|\b(?:looked like|showed as|appeared to be|came up as) (?:\w+ ){0,3}(?:bank|police|hmrc|number)\b|\b(?:call|called|rang|phoned|text|message|caller) (?:\w+ ){0,3}from (?:my |the |her |his |our )?(?:\w+ )?(?:bank|police|scotland yard|hmrc|amazon|energy company|electricity company|water company)\b/,
      1.5,
      'a payment made on someone’s instructions',
    ),
  ],
  'business-email-compromise': [
    c(
      'business-email-compromise.changed-details',
      /\b(?:bank (?:details|account|acct)|account details|payment details|payee details|banking details) (?:\w+ ){0,3}(?:changed|had changed|have changed|updated|amended|altered)|\b(?:changed|updated|amended|altered|new|different) (?:\w+ ){0,2}(?:bank|account|payment|banking|remittance) (?:details|instructions)|\bchange of bank\b|\bchanged banks?\b|\bto (?:a )?different account\b|\bmandate\b|\b(?:bank|rent|payment|receiving|company|business) account (?:\w+ ){0,2}(?:had |has |was |had been |has been )?changed\b|\badvising (?:of )?(?:a )?new (?:bank )?account\b|\b(?:pay|paid|send|sent) (?:\w+ ){0,4}to (?:their|our|a|the) new (?:\w+ )?(?:bank|account)\b|\b(?:our|their|my|his|her) bank (?:had |has |have )?changed\b|\bnew (?:\w+ )?details for (?:the |a |our |their )?(?:\w+ )?(?:deposit|payment|invoice|rent|completion|balance)\b|\bsalary bank account\b|\b(?:bank|account|payment) details (?:\w+ ){0,2}(?:in|from|on) (?:an|the|a|their) (?:\w+ )?(?:email|invoice|letter)\b/,
      3.5,
      'bank details on an invoice or payment were changed',
    ),
    c(
      'business-email-compromise.invoice',
      /\b(?:invoice|invoices|supplier|suppliers|contractor|builder|brewery|dealer|solicitor|conveyancing|conveyancer|buying a (?:house|flat|property|home)|house purchase|completion|accounts payable|accounts team|finance (?:assistant|team|department)|treasurer|payroll|salary|remittance|managing director|chief executive|headteacher|estate agent|letting agency|holding deposit|haulier|wholesaler|vendor|subcontractor|accountant|letting agent|property manager|managing agent|finance (?:paid|dept|manager|director)|accounts (?:dept|department)|company director|ceo fraud|lookalike domain|look alike domain|one letter different|email thread|intercepted)\b|\b(?:landlord)\b|\b(?:settlement)\b|\b(?:completion funds)\b|\b(?:client account)\b|\b(?:(?:our|the) (?:school|company|charity|firm|business|club|office|practice|surgery|council|church|trust|nursery) (?:\w+ ){0,2}paid)\b/,
      2,
      'an invoice, supplier or executive’s request',
    ),
    c(
      'business-email-compromise.executive-gift-cards',
      /\b(?:email|emails|message|text) (?:\w+ ){0,3}(?:from|supposedly from|pretending to be|claiming to be|looked like it was from|apparently from) (?:my|our|the) (?:boss|manager|line manager|ceo|director|headteacher|head teacher|chair|vicar|head)\b(?= (?:\w+ ){0,8}gift cards?\b)/,
      5,
      'an email in an executive’s name asking staff for gift cards',
    ),
    c(
      'business-email-compromise.spoofed-email',
      /\b(?:urgent|confidential|acquisition|spoofed email|(?:email|mailbox|emails) (?:\w+ ){0,3}(?:compromised|hacked|intercepted|spoofed|hijacked)|spoofed our email|apparently from (?:their|our|the) (?:director|ceo|chief|head|md|boss)|fake invoices?|looked like (?:our|their|the) (?:\w+ ){0,2}(?:supplier|domain|email|company))\b/,
      1,
      'a spoofed or intercepted email',
    ),
  ],
  'tech-support-fraud': [
    c(
      'tech-support-fraud.remote-control',
      /\b(?:anydesk|teamviewer|team viewer|ultraviewer|supremo|quick ?support|logmein|screen ?shar\w*|remote (?:access|control|software|support|session|app)|remot\w* (?:in|on|onto|into)|remoted|took (?:over|control of) (?:my|her|his|the) (?:computer|laptop|pc|screen|mouse)|took control|taking control|take control|(?:got|get|gone|went) (?:into|onto|on) (?:my|her|his|the) (?:computer|laptop|pc)|(?:logged|logging|connected|connecting|dialled|remoted) (?:into|onto|in to|on to) (?:my|her|his|the) (?:computer|laptop|pc|mac|screen|machine|desktop)|(?:download|install)\w* (?:\w+ ){0,2}(?:something|software|an app|app|program|programme|file)\b (?:\w+ ){0,3}so (?:he|she|they|it) could|so (?:he|she|they) could (?:see|access|fix|get into|look at|check|control) (?:my |the |her |his )?(?:screen|computer|laptop|pc|mac|it)|connected to (?:my|her|his|the) (?:computer|laptop|pc)|(?:asked|told|got|made|had|wanted|instructed|persuaded) (?:me|her|him|us|them|victim) (?:to )?(?:download|install|put) (?:\w+ ){0,2}(?:software|app|program|anydesk|teamviewer)|(?:logged|logging|connected|dialled|dialed) (?:in|on|onto \w+|into \w+) remotely|remotely (?:logged|connected|accessed))\b|\b(?:let (?:him|her|them|a \w+|the \w+|this \w+|someone) (?:on|onto|into|access|connect|log ?in|remote))\b|\b(?:(?:gave|give|given) (?:the man|the woman|the caller|him|her|them|the scammer) (?:remote )?access)\b/,
      3.5,
      'remote control of the computer',
    ),
    c(
      'tech-support-fraud.fake-support',
      /\b(?:tech(?:nical)? support|it support|computer (?:support|company|technician|engineer|errors?)|broadband (?:provider|support|engineer|company|team)|internet (?:provider|company|engineer)|problem with (?:the|my|her|his) (?:internet|broadband|computer|router)|microsoft|windows|apple support|bt|openreach|virgin media|talktalk|technician|router fault|licence (?:has )?expired|antivirus (?:\w+ ){0,2}(?:renewed|renewal|subscription)|auto renewed|refund department|refunded (?:\w+ ){0,3}(?:too much|by mistake)|overpa\w*|send (?:it|the money) back|hackers on (?:it|there|his|her|my)|to stop hackers|ipaddress (?:\w+ ){0,2}compromised|fake error|printer|lifetime protection|support contract|renewal|renewed|diagnostic fee|sending out (?:errors|viruses)|errors|support number|helpline|(?:called|rang|phoned) the number|(?:computer|laptop|pc|router|internet|broadband|wifi|ip address|ipaddress) (?:\w+ ){0,3}(?:had|has|have|was|is) (?:\w+ )?(?:a virus|viruses|infected|hacked|being hacked|compromised|problems?|errors?)|(?:pay|paid|paying|charged) (?:\w+ ){0,4}for (?:a |an |the )?(?:\w+ )?(?:protection|security software|support package|firewall|clean ?up|drivers|fix|repair|licence|license|subscription))\b|\b(?:refund (?:me|her|him|us))\b|\b(?:(?:process|give|issue) (?:me |her |him )?(?:a |the )?refund)\b/,
      2,
      'a fake computer or broadband support service',
    ),
    c(
      'tech-support-fraud.pop-up',
      /\b(?:pop ?up|alert) (?:\w+ ){0,8}(?:call|ring|phone)\b|\b(?:warning|alert|pop ?up|screen) (?:\w+ ){0,4}(?:phone )?number\b|\b(?:called|rang|phoned|call|ring) (?:\w+ ){0,3}(?:number|helpline) (?:\w+ ){0,2}(?:on|from|in) (?:the |a |an )?(?:pop ?up|screen|alert|warning|google|search|website)\b/,
      1.5,
      'a pop-up telling them to call',
    ),
  ],
  'card-account-fraud': [
    c(
      'card-account-fraud.card-used',
      /(?<!\b(?:gift|play|itunes|steam|voucher|vouchers|greeting|loyalty|sim|amazon|apple|ebay|id|business|birthday|christmas) )\b(?:card|cards|card details|card number|debit card|credit card|bank card)\b (?:\w+ ){0,6}(?:used|using|cloned|copied|charged|charges|spent|added|skimmed|swapped|switched|transactions?|stolen|bought|purchased|ordered)\b|\b(?:withdrawals?|transactions?|payments?|purchases?|charges?) (?:\w+ ){0,4}on (?:my|her|his|our) (?:bank |card )?statement\b|\b(?:went|gone|came|taken|spent) (?:\w+ ){0,2}(?:out )?on (?:my|her|his|our|the) (?:\w+ )?card\b|\b(?:used|using|use) (?:my|her|his|our|the) (?:(?!own\b)\w+ )?(?:card|cards|card details)\b|\b(?:someone|somebody|they|hacker|hackers|fraudster|fraudsters|scammer|scammers|unknown \w+)\b (?:\w+ ){0,6}(?:bought|ordered|purchased|spent|paid) (?:\w+ ){0,4}(?:with|using|on) (?:my|her|his|our|the|their) (?:\w+ ){0,2}card\b|\b(?:payments?|transactions?|charges?|purchases?) (?:\w+ ){0,2}on (?:my|her|his|our|the) (?:\w+ ){0,2}(?:card|visa|mastercard|amex|barclaycard)\b|\b(?:account|acct|card|savings) had (?:\w+ ){0,2}(?:taken|withdrawn|spent|transferred|gone)\b|\b(?:spent|spending|used|charged|order|ordered|ordering|buy|bought|buying) (?:\w+ ){0,3}on (?:my|her|his|our|the) (?:\w+ )?card\b|\b(?:use|usage|misuse) of (?:my |her |his |the |a |victim s |victims )?(?:\w+ )?(?:card|cards)\b|\b(?:used|using|added to|set up) (?:\w+ ){0,2}(?:apple|google|samsung) (?:pay|wallet)\b|\b(?:had been|has been|was|were|been) (?:swapped|switched|cloned|skimmed)\b|\bhanded (?:\w+ )?back (?:a |the )?(?:different|another|wrong|fake) card\b|\b(?:device|skimmer) (?:\w+ )?on the (?:cash |atm )?machine\b|\bcard (?:got |was )?(?:stuck|trapped|retained|kept|swallowed) (?:in|by) the (?:cash |atm )?machine\b|\b(?:come|came|gone|went|taken) off (?:my|her|his|our|the) (?:\w+ )?card\b|\bpayments? (?:\w+ ){0,2}went (?:through|thru)\b|\b(?:swapped|switched|cloned|skimmed) (?:my|her|his|their|the|victim s|victims) (?:\w+ )?card\b|\bcloned card\b|\bcard not present\b|\bcontactless\b|\b(?:apple|google) wallet\b|\bsaved card\b/,
      3,
      'a card was used without permission',
    ),
    c(
      'card-account-fraud.payments-made',
      /\b(?:unauthorised|unrecognised|fraudulent|unknown) (?:\w+ )?(?:payments?|transactions?|debits?|withdrawals?|purchases?|charges?|transfers?|payees?|direct debits?)\b|\b(?:transactions?|payments?|transfers?|purchases?|charges?|debits?) (?:\w+ ){0,10}(?:i|she|he|we|they|victim) (?:did not|do not|does not|never|have not|had not) (?:make|made|done|do|authorise\w*|agree\w*|book\w*|recognise\w*)|\b(?:asking|asked|to ask|checking|check) (?:\w+ ){0,3}(?:if|whether) (?:i|she|he|we|victim) (?:had |have |has )?(?:spent|made|bought|authorised|ordered)\b|\b(?:i|she|he|we|victim) (?:did not|never|have not) (?:make|made|do|approve\w*|approved) (?:them|it|these|those|any)\b|\b(?:i|she|he|we|victim)(?<!\bif \w+) (?:did not|never|have not) authorise\w*\b|\bnot (?:authorised|auth d) by\b|\b(?:payments?|transactions?|used|spent|took|taken|money|card|account|banking app|transferred|sent himself|sent herself) (?:\w+ ){0,6}without (?:my|her|his|our|their) (?:permission|knowledge|consent|authority|agreement)\b|\b(?:using|used|uses) (?:my|her|his|our) (?:paypal|bank card|card|credit card|debit card|banking app|account) (?:\w+ ){0,6}without (?:asking|telling)\b|\bnever said (?:he|she|they) could\b|\bnever agreed\b|\b(?:that|which) (?:are|were|was|is) not (?:me|mine|hers|his|ours)\b|\b(?:transferred|taken|moved|withdrawn|spent|made|sent|used(?<!\balready (?:been )?used)) (?:\w+ ){0,6}by (?:them|him|the fraudsters?|the scammers?|the caller|the suspect|someone else|a third party|criminals)\b|\bsuspicious spending\b|\bfree trial\b (?:\w+ ){0,12}(?:taken|charged|debited|payments?|charges?)\b|\b(?:i|she|he|we|victim) (?:did not|never) sign(?:ed)? up\b|\b(?:card|credit card|cards|loan|loans|account|accounts|overdraft|credit|finance|contract)s? (?:\w+ ){0,4}in (?:my|her|his|their|victim s|victims) name\b/,
      3,
      'payments were made without permission',
    ),
    c(
      'card-account-fraud.money-taken',
      /\b(?:account|savings|bank|banking) (?:\w+ ){0,3}(?:emptied|empty|drained|cleared|wiped)\b|\bclicked (?:\w+ ){0,4}(?:and )?(?:logged|signed) in\b|\b(?:logged|signed) in (?:through|via|from|on|using) (?:the|a|their|that) link\b|\bbalance (?:\w+ ){0,2}(?:went|dropped|fell) (?:down )?(?:from|to)\b|\b(?:taken|took|take|stole|stolen|transferred|moved|withdrawn|debited|gone|went|come|came) (?:\w+ ){0,3}(?:out of|out|from) (?:my|her|his|our|the|their|victims?) (?:\w+ )?(?:account|acct|bank|savings|card)\b|\b(?:logged|got|getting|went|gone|accessed) (?:\w+ ){0,2}(?:into|in to)? ?(?:my|her|his|our|the) (?:banking app|online banking|bank account|bank|account|acct) (?:and )?(?:\w+ )?(?:took|transferred|moved|sent|from)|\b(?:online banking|banking app|bank account|bank login|paypal|paypal account)\b (?:\w+ ){0,3}(?:was |were |has been |got )?(?:accessed|hacked|compromised|used|taken over|logged into|logged in to)|\b(?:savings|balance)\b (?:\w+ ){0,2}(?:had |has |have |was |were )?(?:gone|vanished|disappeared|emptied|been moved|been transferred|been taken)\b|\b(?:used|using) (?:my|her|his|our|the|victim) (?:banking app|online banking|bank app|bank account|paypal|revolut|monzo|apple pay|google pay)\b|\b(?:entered|typed|put in|filled in|gave(?<=\b(?:link|site|website|form|page|app)\b(?: \w+){0,8} gave)) (?:\w+ ){0,3}(?:bank|card|banking|account|login|security) (?:details|number|numbers|information|info)\b|\b(?:entered|typed|put in|filled in|gave)(?<=\b(?:link|site|website|form|page)\b(?: \w+){0,4} (?:entered|typed|put in|filled in|gave)) (?:my|his|her|their|all (?:my|his|her|their)) (?:\w+ )?details\b|\bput (?:my|her|his|their|the) (?:\w+ )?(?:card|bank|banking|account) (?:details|number|numbers|info) in\b|\bsim (?:swap|card)|\bported (?:my|her|his) number\b|\bnew sim\b|\bnew payee\b|\bdirect debits?\b|\b(?:read|gave|give|entered) (?:\w+ ){0,3}(?:code|otp|one time passcode|passcode)|\bone time passcode\b|\bfaster payments?\b|\bmy paypal\b(?! (?:email|address|details))|\bbank login\b|\bonline banking login\b|\b(?:balance) (?:\w+ ){0,3}(?:emptied|empty|drained|cleared|wiped)\b/,
      2.5,
      'money taken from an account by someone else',
    ),
    c(
      'card-account-fraud.account-accessed',
      new RegExp(
        `\\b(?:hacked|hacking|accessed|got into|get into|logged into|logging into|broke into|took over|compromised|into) (?:my|her|his|our|their|the|victim s|victims|victim|the victim|the victim s) ${BANKS}\\b|\\b${BANKS} (?:\\w+ ){0,3}(?:was |were |has been |got )?(?:accessed|hacked|compromised|breached|taken over|logged into|emptied|drained|cleared|wiped)\\b|\\b(?:missing|gone|taken|stolen|emptied|drained|transferred) (?:\\w+ ){0,2}(?:from|out of) (?:my|her|his|our|the|their|victim) ${BANKS}\\b`,
      ),
      2.5,
      'a bank or payment account was accessed',
    ),
  ],
  sextortion: [
    c(
      'sextortion.intimate',
      /\b(?:intimate|naked|nude|nudes|explicit|sexual|sex|private|sexy|topless|compromising|x rated)\b (?:\w+ ){0,2}(?:images?|pictures?|photos?|videos?|video call|content|chat|acts?|footage|recording|clips?)|\bnudes\b|\bsexting\b|\bsextortion\b|\bscreenshots? of (?:\w+ ){0,2}video call\b|\bvideo (?:call|chat\w*) (?:\w+ ){0,6}(?:sexual|intimate|naked|strip|explicit|turned|got intimate)|\b(?:strip|stripped|undress\w*|masturbat\w*)\b|\b(?:recorded|filmed) (?:me|it|us|him|her|the call|the video)\b|\brecorded (?:\w+ ){0,2}(?:video call|call|video|webcam|chat|stream)\b|\b(?:recording|video|footage|photos?|pictures?|images?) of (?:\w+ ){0,2}(?:naked|nude|undressed|topless|masturbating)\b|\bnaked on (?:webcam|camera|video|cam)\b|\bwank\w*|\bhoney ?trap\w*|\b(?:screenshots?|clips?|recordings?|videos?) of me (?:\w+ )?(?:naked|wanking|masturbating|undress\w*|strip\w*|having sex)|\b(?:got|get|persuaded|convinced|asked) (?:me|him|her) to (?:go on cam|strip|undress|get naked|take (?:my|his|her) clothes off|touch (?:my|him|her)self)\b|\b(?:did|doing|do) (?:stuff|things|something) on (?:camera|cam|video|webcam)\b|\b(?:got|get|getting|were|was) (?:\w+ )?naked\b|\bfake nude|\bdeepfake|\bswapped (?:pictures|photos|images)|\bvideo of me\b|\bsexual video\b|\b(?:became|got|turned|things got) (?:\w+ )?(?:intimate|sexual|explicit)\b/,
      3,
      'intimate images or video',
    ),
    c(
      'sextortion.images-of-victim',
      /\b(?:pictures|photos|images|videos|video) of (?:me|myself|him|her|himself|herself)\b|\b(?:got|has|have|had) (?:\w+ )?(?:pictures|photos|images|videos)\b|\b(?:sent|send|sending|swapped) (?:\w+ ){0,2}(?:pictures?|photos?|images?|videos?|nudes?|selfies?|recording|clip)\b|\b(?:pictures?|photos?|images?|videos?|nudes) (?:that )?(?:i|she|he) (?:had )?(?:sent|shared|took)\b/,
      1.5,
      'images of the victim',
    ),
    c(
      'sextortion.threat-to-share',
      /\b(?:share|send|sent|post|publish|leak|release|expose|show|upload|put|out|goes|go|forward)\w* (?:\w+ ){0,6}(?:friends|family|families|contacts|followers|friends list|contact list|everyone|everybody|everywhere|employer|work|job|boss|colleagues|wife|husband|partner|parents|mum|dad|mother|father|children|kids|relatives|mates|sister|brother|son|daughter|girlfriend|boyfriend|grandchildren|school|uni|college|church|online|internet|youtube|facebook|instagram|linkedin|twitter|tiktok|snapchat|reddit|telegram|discord|onlyfans|porn|social media)\b|\bout me\b|\bor it goes\b|\bor (?:\w+ ){0,4}(?:gets|get|sees|see|receives) (?:it|them)\b|\bor (?:\w+ ){0,5}(?:get|gets|see|sees|receive|receives) (?:\w+ ){0,2}(?:pictures|photos|videos?|images|recording|nudes)\b|\bto delete (?:it|them|the (?:video|pictures|photos|images|recording))\b|\bblackmail\w*|\bsextortion\b|\bthreat\w* to (?:share|post|send|leak|publish|release|expose)\b|\b(?:would|will|to) be (?:shared|posted|sent|leaked|published|released|put online)\b|\bor (?:they|he|she|it) (?:will|would) (?:share|send|post|leak|publish|release|expose|go)\b|\bor (?:they|he|she) (?:posts?|shares?|sends?|leaks?|uploads?|puts?) (?:it|them)\b|\b(?:share|post|send|leak|publish|release|expose)\w* (?:\w+ ){0,4}(?:unless|or else)\b/,
      2.5,
      'a threat to share them',
    ),
  ],
  'online-harassment': [
    c(
      'online-harassment.abuse',
      /\b(?:harass\w*|stalk\w*|troll\w*|bull(?:y|ied|ying)|cyberbull\w*|abuse|abusive|threats?|threatening|threatened|hate|hateful|racist|racism|homophobic|transphobic|anti muslim|antisemit\w*|islamophob\w*|intimidat\w*|malicious communications?|malicious (?:messages|texts|emails|posts|comments|calls|allegations)|lies about (?:me|her|him|them|us)|paedo\w*|pedo\w*|nonce|mocking|mocked|nasty|offensive|slag|batter|kill|burn|doxx\w*|fake (?:\w+ )?(?:profiles?|accounts?)|made a fake|hurt me|come and (?:get|hurt|find|attack) me|posting my (?:\w+ )?(?:address|photo|details|number)|lies about me|new accounts? to message|non molestation|restraining order|dash|fears? for (?:her|his|my) safety|tracking app|tracker|gps|tracking (?:my|her|his) (?:location|phone|car)|monitoring (?:her|my|his) location|turning up (?:wherever|where (?:i|she|he) (?:am|is|go|goes)|at my|at (?:her|his) (?:work|home|house))|hundreds of (?:texts|messages|calls|emails)|death threats?|knows where i (?:am|live)|my (?:home )?address (?:and|on)|pay me a visit|waiting outside|taking the piss|everyone hates me|kill (?:her|him|my)self|insult\w*|humiliat\w*|embarrass\w*|horrible (?:messages|comments|things|captions|names)|vile|slurs?|calling (?:me|her|him|them) names|unwanted (?:messages|contact|calls|texts|attention|sexual|advances|pictures|photos)|sexist|misogyn\w*|told (?:him|her|them) (?:no|to stop|to leave me alone)|asked (?:him|her|them) to stop|despite (?:being )?block\w*|even though i (?:have )?(?:blocked|told)|(?:see|track\w*|knows?|knew|watch\w*|check\w*) (?:\w+ ){0,2}where i (?:am|go|have been|live|was)|life360|find my (?:iphone|phone|friends)|times a day|(?:make|makes|making|made) fun of|edited (?:pictures|photos|images|videos)|photoshopped|laugh\w* at (?:me|him|her)|contacting my (?:new )?(?:partner|family|friends|employer|work|boss)|(?:call|calls|called|calling) (?:me|him|her|them) (?:a |an )?(?:retard|slag|slut|whore|paedo|nonce|fat|ugly|freak|names)|spread (?:\w+ ){0,2}(?:address|rumours|lies|photos)|location sharing|my location|slag\w*|turn\w* up where|(?:to )?(?:follow|track|stalk|monitor) me|followed me|(?:page|account|group) (?:\w+ ){0,3}(?:dedicated to|to mock|to abuse|to humiliate)|posting (?:\w+ ){0,2}(?:pictures|photos) of (?:our|my) (?:house|home|car|kids|children))\b|\b(?:with (?:my|our|her|his) (?:home )?address)\b|\b(?:swearing)\b|\b(?:swore at)\b|\b(?:(?:you ll|i ll|you will|i will|he ll|she ll) regret)\b|\b(?:begging me)\b|\b(?:(?:emailing|messaging|texting|contacting|writing to) (?:my |her |his )?(?:\w+ )?(?:work|employer|boss|family|husband|wife|partner|friends))\b|\b(?:stab\w*)\b|\b(?:shoot (?:me|him|her|you))\b|\b(?:beat (?:\w+ )?up)\b|\b(?:hurt (?:him|her|them|you|my \w+))\b|\b(?:deserves? to (?:suffer|die))\b|\b(?:incompetent)\b|\b(?:worthless)\b|\b(?:(?:posting|posted|writing|wrote|spreading) (?:\w+ ){0,2}about (?:me|her|him|my (?:son|daughter|family|husband|wife)))\b|\b(?:false (?:allegations?|accusations?|claims|reports?))\b|\b(?:(?:every time|whenever) (?:i|she|he) blocks?)\b|\b(?:(?:be |is |was )?waiting (?:for (?:me|her|him) )?(?:at|outside|by) )\b|\b(?:(?:uploaded|posted|put up|shared) (?:\w+ ){0,3}(?:video|videos|photos?|pictures?|clips?) of (?:me|her|him|my (?:son|daughter)))\b|\b(?:spreading (?:lies|rumours))\b|\b(?:defam\w*)\b|\b(?:slander\w*)\b|\b(?:being watched)\b|\b(?:watching (?:me|my|her|his))\b|\b(?:(?:pictures|photos|videos) of (?:my|our|her|his) (?:house|home|car|street|kids|children|front door|address))\b|\b(?:(?:saying|says|claiming|that) (?:i|i m|im) (?:am |was )?(?:a|an) (?:paedo|pedo|nonce|drug dealer|thief|liar|cheat|grass|scammer|prostitute|abuser))\b|\b(?:(?:unless|or else) (?:i|she|he) (?:stop|stops|leave|leaves|delete|deletes|drop|drops|break|breaks|end|ends))\b/,
      2.5,
      'harassment, threats or abuse online',
    ),
    c(
      'online-harassment.unwanted-contact',
      /\b(?:keeps? (?:\w+ ){0,2}(?:messaging|contacting|posting|sending|making|calling|creating|setting up|leaving|turning up)|every (?:single )?day|constantly|won t leave me alone|won t stop|again and again|every time i block|block (?:one|him|her|them)|ongoing|persistent\w*|repeatedly|over and over|for (?:weeks|months)|keeps? (?:\w+ ){0,2}(?:texting|logging|following|tracking|watching|commenting|tagging|emailing)|hundreds of (?:\w+ )?(?:messages|texts|emails|comments|calls))\b|\b(?:bombard\w*)\b|\b(?:(?:over|more than|about|nearly) \d+ (?:texts|messages|emails|calls|times))\b|\b(?:\d+ (?:texts|messages|emails|calls) in (?:a|one|two|three|\d+) (?:day|days|hour|hours|week|night))\b|\b(?:leaving comments)\b|\b(?:on (?:all|every one of) (?:my|her|his) (?:posts|photos|pictures|videos))\b/,
      1.5,
      'repeated unwanted contact',
    ),
    c(
      'online-harassment.images-shared',
      /\b(?:posted|shared|sharing|put|posting) (?:\w+ ){0,3}(?:(?:intimate|nude|naked|private|explicit) (?:photos|pictures|images|videos)|nudes)\b|\bwithout (?:my|her|his) consent\b|\bdid not ask for anything\b|\bto hurt me\b|\b(?:leaked) (?:\w+ ){0,3}(?:(?:intimate|nude|naked|private|explicit) (?:photos|pictures|images|videos)|nudes)\b|\b(?:spread) (?:\w+ ){0,3}(?:(?:intimate|nude|naked|private|explicit) (?:photos|pictures|images|videos)|nudes)\b|\b(?:sent round) (?:\w+ ){0,3}(?:(?:intimate|nude|naked|private|explicit) (?:photos|pictures|images|videos)|nudes)\b|\b(?:sending round) (?:\w+ ){0,3}(?:(?:intimate|nude|naked|private|explicit) (?:photos|pictures|images|videos)|nudes)\b|\b(?:passed round) (?:\w+ ){0,3}(?:(?:intimate|nude|naked|private|explicit) (?:photos|pictures|images|videos)|nudes)\b|\b(?:showing) (?:\w+ ){0,3}(?:(?:intimate|nude|naked|private|explicit) (?:photos|pictures|images|videos)|nudes)\b/,
      3.5,
      'intimate images shared without consent and with no demand',
    ),
    c(
      'online-harassment.unsolicited',
      /\b(?:unsolicited|cyber ?flash\w*|dick pics?|genitals|(?:pictures?|photos?|images?|videos?) of his (?:penis|private parts|genitals)|(?:did not|never) ask(?:ed)? for (?:them|it|the (?:pictures|photos|images))|(?:airdrop\w*|air dropped|sent (?:me|her|him) (?:an? )?(?:airdrop|picture|photo|image|video)) (?:\w+ ){0,3}(?:explicit|sexual|naked|nude|rude|obscene|indecent) (?:picture|photo|image|video|pic)s?)\b/,
      4,
      'unsolicited sexual images sent to the victim',
    ),
    c(
      'online-harassment.known-or-public',
      /\b(?:ex partner|ex husband|ex wife|ex boyfriend|ex girlfriend|my ex|neighbour|former customer|pupils|people from work|group chat|comments?|reviews?|posted (?:photos|pictures|my))\b/,
      1,
      'someone known to the victim or a public post',
    ),
  ],
  'child-sexual-abuse': [
    c(
      'child-sexual-abuse.abuse',
      /\b(?:grooming|groomed|indecent images?|iioc|child abuse (?:images?|material)|csam|ceop|iwf|sexual communication with a child|(?:sexual|indecent|naked|nude|explicit|abuse) (?:\w+ ){0,2}(?:images?|pictures?|photos?|videos?|material) of (?:children|a child|kids|minors|young (?:girls|boys|children))|underage (?:girls?|boys?|children)|(?:pictures?|photos?|images?|videos?) of (?:young |little |school )?(?:girls?|boys?|children|kids)(?: \w+){0,2} (?:under ?age|underage)|(?:child|children|kids?|minors?|baby|babies|toddlers?|young (?:girls?|boys?)) (?:\w+ ){0,2}being (?:sexually )?(?:abused|raped|molested)|(?:child|children) (?:sexual )?abuse (?:video|videos|images?|material|content))\b/,
      8,
      'online sexual abuse of a child',
    ),
  ],
  'phishing-attempt': [
    c(
      'phishing-attempt.suspicious-approach',
      /\b(?:phishing|phish|suspicious|scam|spam|fake|dodgy|bogus|spoof\w*|fraudulent) (?:\w+ ){0,3}(?:email|emails|text|texts|message|messages|website|site|link|call|calls|sms|login page|page|pop ?up|qr codes?|voicemail|direct message|whatsapp|letter)\b|\bparcel (?:\w+ ){0,3}(?:held|waiting|redelivery)|\bredelivery\b|\bmissed (?:a )?delivery\b|\btax refund\b|\bpress 1\b|\bautomated (?:voice|call|message)\b|\bwithheld number\b|\bunknown number\b|\bqr codes?\b|\bclick here\b|\bto (?:re validate|revalidate|verify|confirm|claim|cancel|update)\b|\bmailbox is full\b|\bstorage (?:is )?(?:full|limit|space|plan|quota)\b|\bout of storage\b|\bpretending to be\b(?! (?:me|her|him|them|my (?:son|daughter|husband|wife|partner|friend)s?)\b)|\bpurporting to be from\b|\bclaiming to be from\b|\bkeep getting\b|\b(?:email|text|message|call|letter|voicemail|pop up|whatsapp)\b (?:\w+ ){0,3}(?:said|says|saying|claimed|claiming|told me)\b|\b(?:got|received|had) (?:a |an )?(?:\w+ ){0,2}(?:text|email|call|direct message|message|whatsapp|voicemail|letter) (?:from|saying|about|on|with)\b|\boffer(?:ed|ing)? me\b/,
      2,
      'a suspicious message, call or website',
    ),
    c(
      'phishing-attempt.nothing-lost',
      /\b(?:did not|have not|has not|had not|never|nothing|no one|nobody|none) (?:\w+ ){0,2}(?:click|clicked|clicking|open|opened|reply|replied|replying|respond|responded|enter|entered|fill|filled|call|called|ring|rang|phone|phoned|answer|answered|interact\w*|download\w*|put anything|typed|fill it)\b|\bno (?:details|information|info|personal details|bank details|card details|money) (?:\w+ )?(?:given|provided|entered|disclosed|handed over|sent|paid)\b|\b(?:nearly|almost) (?:paid|fell for|got caught|entered|gave)\b|\b(?:just |then |so )?(?:put the phone down|hung up|ended the call)\b(?! after)|\bstopped (?:\w+ ){0,2}(?:when|before|as soon as) (?:it|they|he|she) (?:asked|wanted)\b|\bnothing (?:was )?wrong\b|\b(?:did not|never|refused to) (?:do|buy|send|transfer|pay for) (?:it|so|them|that|any)\b|\b(?:did not|have not|has not|had not|never|nothing|nobody) (?:\w+ ){0,1}(?:give|gave|given|pay|paid)(?! (?:\w+ )?(?:out|back))\b|\bno interaction\b|\b(?:i|we) did not(?= ?\.| ?$)|\bignored (?:it|them|the)\b|\bdeleted (?:it|them|the (?:text|email|message|call|voicemail))\b|(?:^ |\. |\b(?:i|we|victim|then|so|and|just) (?:have |had |just )?)blocked (?:and|them|it|the|him|her|straight|number)\b|\bwithout (?:entering|clicking|giving|paying|replying|opening|typing|sending) (?:anything|it|them|any|my)\b|\bhung up\b|\bhang up\b|\brefused\b|\bnot replying\b|\bno chance\b|\breporting (?:it )?(?:anyway|for intelligence|the account)|\bfor intelligence\b|\breported (?:and blocked|it|the account|for takedown)|\bforwarded (?:\w+ ){0,3}to\b|\b7726\b|\breport phishing\b|\btakedown\b|\bno (?:financial |fin |direct )?loss\b|\bno money\b(?! (?:came|arrived|received|was received|has (?:come|arrived)|back|returned|ever))|\b(?:did not|have not|never) (?:send|sent) anything\b|\bcancelled the card\b|\b(?:blocked|cancelled|stopped|replaced|froze|frozen) (?:\w+ ){0,3}card (?:\w+ ){0,2}before\b|\bbefore any (?:use|money|payment|payments|loss)\b|\bjust wanted to report\b|\bbefore (?:putting|entering|typing|giving|inputting) anything\b|\bclosed (?:it|the page|the site|the tab|the link|the window)\b|\b(?:not(?<!\b(?:will|would|does|do) not)) (?:\w+ ){0,2}(?:click|clicked|clicking|open|opened|reply|replied|replying|respond|responded|enter|entered|fill|filled|call|called|ring|rang|phone|phoned|answer|answered|interact\w*|download\w*|put anything|typed|fill it)\b/,
      2.5,
      'nothing was lost, clicked or given',
    ),
  ],
  other: [
    c(
      'other.says-not-cyber',
      /\b(?:not a scam|not an attack|no cyber element|by mistake|in error|by error|accidentally|(?:son|daughter|child|kid|grandson|granddaughter) (?:\w+ ){0,2}(?:used|spent|bought|paid) (?:\w+ ){0,4}(?:robux|v bucks|vbucks|in game|in app|app store|game credits|gems|coins|points|upgrades)|the company is real|genuine (?:company|trader|shop|seller)|within tolerance|i have not been hacked|not been hacked|just want to know|crime number|failed (?:network )?switch|hardware fault|hardware failure|hard drive (?:has )?(?:failed|died|broke)|repair shop says|weeks? late|days late|keep promising|delayed delivery|(?:suspended|deactivated|disabled|banned|removed) (?:\w+ ){0,3}(?:for|by) (?:facebook|instagram|tiktok|twitter|youtube|snapchat|whatsapp|ebay|amazon|paypal|breaching|breach of|violating|no reason)|terms of (?:service|use)|after i cancelled|still being (?:charged|taken)|(?:will not|would not|refus\w* to|won t) (?:give|send|hand) (?:\w+ ){0,2}back|(?:is|it s|its|they are|he is|she is|he|she|it|they|was) (?:a )?(?:real|genuine|legitimate|proper|registered) (?:company|business|firm|trader|builder|shop)|gone bust|went bust|into administration|the administrators)\b|\b(?:(?:company|business|firm|trader|seller|shop|dealer|garage|breeder|builder) is (?:genuine|real|legitimate|legit))\b|\b(?:community (?:standards|guidelines|rules))\b|\b(?:(?:locked|suspended|disabled) for (?:suspicious activity|security reasons|verification))\b|\b(?:(?:wants|asking for|asked for|asks for) (?:my |a )?(?:id|photo id|identification|passport)\b)\b|\b(?:just want (?:my|the|our) account back)\b|\b(?:(?:facebook|instagram|tiktok|twitter|youtube|snapchat|whatsapp|ebay|amazon|paypal) (?:has |have )?(?:suspended|deactivated|disabled|banned|closed|locked) (?:my|her|his|our))\b/,
      4,
      'the report says it is not a cybercrime',
    ),
    c(
      'other.not-cyber',
      /\b(?:stolen from outside|(?<!for a |for an |for the |buy a |bought a |buying a |selling a |sold a |sell a )(?:bike|bicycle)|catalytic converter|scratched|dog barks|barking|burglary|burgled|shoplifting|criminal damage|doorstep|knocked on|roof|noise|affair|check his messages|check her messages|unsubscribed?|marketing emails|how do i|how can i|advice|two factor authentication on|in game purchases|in app purchases|without asking|lost my phone|picked it up|wiped it|won t give back|will not give back|give back my|split up|proper (?:\w+ )?shop|well known shop|reputable|answers my emails|(?<!national )insurance|(?:car|van|house|shed|garage|home|flat|vehicle) (?:\w+ )?(?:was |got |has been )?(?:broken into|burgled|vandalised|damaged|keyed)|sat nav|parking|fly tipping|assault\w*|punched|(?:broke|stopped working|faulty|defective) after|refuse to (?:repair|fix)|delivered to the wrong|wrong (?:house|address)|fault|outage|lost my (?:bank )?(?:card|wallet|purse|phone)|stole my (?:phone|wallet|purse|bag)|(?:phone|wallet|purse|bag|laptop|handbag) (?:\w+ ){0,3}stolen (?:from|at|on|in)|wages|not paying my|lent (?:him|her|them|my|a)|owes me|refus\w* to (?:pay|repay|return) (?:me|it|the money)|is (?:this|it|that) (?:\w+ )?(?:hacking|a hack)|is (?:this|it|that) (?:a crime|illegal|legal)|my tenants?)\b|\b(?:builder)\b|\b(?:roofer)\b|\b(?:plumber)\b|\b(?:electrician)\b|\b(?:tradesman)\b|\b(?:landscaper)\b|\b(?:decorator)\b|\b(?:kitchen fitter)\b|\b(?:driveway)\b|\b(?:(?<!(?:browser|chrome|firefox|edge|safari) )extension(?! in (?:chrome|firefox|edge|safari|my browser|the browser)))\b|\b(?:loft conversion)\b|\b(?:borrowed (?:\w+ ){0,2}(?:from|off) (?:me|her|him|us))\b|\b(?:(?:will not|won t|not) (?:pay|paid) (?:\w+ )?back)\b|\b(?:can (?:the )?police (?:help|make|stop|do))\b|\b(?:left owing|owing (?:\w+ ){0,3}rent|rent arrears|not paying (?:\w+ ){0,2}rent)\b|\b(?:flatmate|housemate|lodger|cleaner|carer) (?:\w+ ){0,3}(?:took|taken|stole|stolen|has been taking|been taking)\b|\b(?:will|would) pay (?:me |it |us |you )?back\b/,
      2.5,
      'not a cybercrime (theft, dispute, error or advice)',
    ),
    c(
      'other.breach-notice',
      /\b(?:my|his|her|their|our|customer|customers|members?) (?:\w+ )?(?:details|data|information|info) (?:may|might|could) (?:have been|be|been) (?:exposed|affected|leaked|accessed|compromised|stolen)\b/,
      4,
      'an organisation told the victim their data may have been exposed',
    ),
    c(
      'other.consumer-dispute',
      /\b(?:wrong (?:size|colour|color|item|model)|not as described|(?:will not|won t|refus\w* to|refusing) (?:give (?:me |us )?|to )?(?:a )?(?:refund|exchange|replace)\w*|(?:will not|won t|refus\w* to|refusing to) take (?:it|them|the \w+) back|(?:has not|have not|not|will not|won t|refus\w* to) (?:returned?|refunded?|given back) (?:\w+ ){0,2}(?:deposit|money))\b/,
      3,
      'a dispute with a trader about goods or a refund',
    ),
    c(
      'other.stolen-goods-for-sale',
      /\b(?:seen|saw|spotted|found) (?:\w+ ){0,4}(?:for sale|advertised|being sold|listed)\b(?<=\b(?:stolen|burgled|broken into|nicked|taken|theft)\b.*)/,
      3,
      'stolen goods seen for sale',
    ),
  ],
};

/** Category cues whose match also shows an online element (step 1 counts them), and through which medium. */
export const CUE_MEDIA: Readonly<Record<string, Medium>> = {
  'hacking-social-email.account-taken-over': 'computer-misuse',
  'hacking-social-email.got-into-account': 'computer-misuse',
  'hacking-personal.device-accessed': 'computer-misuse',
  'hacking-personal.got-into-device': 'computer-misuse',
  'hacking-personal.signs-of-use': 'computer-misuse',
  'hacking-personal.access-to-device': 'computer-misuse',
  'hacking-server.systems-accessed': 'computer-misuse',
  'hacking-server.broke-into-systems': 'computer-misuse',
  'hacking-server.access-to-systems': 'computer-misuse',
  'hacking-server.tenant-accessed': 'computer-misuse',
  'hacking-server.former-insider': 'computer-misuse',
  'hacking-extortion.ransomware': 'computer-misuse',
  'malware.malicious-software': 'computer-misuse',
  'malware.infected-device': 'computer-misuse',
  'malware.hijacked-browser': 'computer-misuse',
  'denial-of-service.flooded': 'computer-misuse',
  'denial-of-service.knocked-offline': 'computer-misuse',
  'tech-support-fraud.remote-control': 'remote-access',
  'card-account-fraud.account-accessed': 'website-app',
};

const LOSS_SUBJECT =
  '(?:i|we|he|she|victim|mum|dad|grandmother|grandfather|treasurer|company|charity|business|council|school|club|church|practice|surgery|firm|son|daughter|brother|sister|husband|wife|customer|customers|age\\d+)';
const LOSS_VERB =
  '(?:paid|lent|bought|ordered|purchased|sent(?! (?:a |an |the |me |my |him |her |them )?(?:text|email|message|link|code|screenshot|photo|picture|pictures|photos|images|nudes|details|letter|reply|anything))|transferred|lost|handed|deposited|invested|spent|moved|withdrew|put in|booked|had to pay|posted (?:the|my|it|them)\\b(?! (?:\\w+ ){0,2}(?:on|online|up))|gave (?:them|him|her) (?:money|cash|my card))';

/**
 * Negated phrases ("no ransom demand", "not an attack", "nobody got onto her computer", "no sexual content") count
 * as absent, and so does what a fraudster's caller claims ("saying her card had been used in London") and grooming
 * that is a trade ("dog grooming business").
 */
export const NEGATED =
  /\b(?:no|not|never|nobody|no one|nothing|none|without|before any|before anything|before they could|before it could)\b((?: \w+){0,4}?) (?:encrypted|encrypt|ransom|ransom note|demand|demands|attack|hacked|hacking|accessed|access|signed in|logged in|got into|get on|got onto|got on|went on|went onto|went into|gone on|remote access|remote|infected|data theft|payments? made|money missing|accounts accessed|asking|asked|demanding|demanded|wanting|taken)\b|\bno (?:other |unauthorised |card |fraudulent |unknown )?(?:purchases|payments|transactions|charges|spending)\b|\b(?:saying|said|says|claiming|claimed|stating|stated|told (?:me|her|him|them)) (?:that )?(?:\w+ ){0,8}?(?:card|cards|account|bank account) (?:\w+ ){0,2}(?:had been|has been|was|is being|was being|were being) (?:used|compromised|hacked|accessed|stolen)\b|\b(?:calling|ringing|reporting|phoning) (?:on behalf of|for) (?:my|her|his|our)\b|\b(?:saying|said|says|claiming|claimed|stating|stated|advised|informed|told (?:me|her|him|them)) (?:that )?(?:\w+ ){0,8}?(?:computer|laptop|pc|router|internet|ip address|device) (?:\w+ ){0,3}(?:virus|viruses|malware|infected|hacked|compromised)\b|\b(?:no|not|nothing|without|never anything) (?:\w+ )?(?:sexual|sexually)(?: (?:content|images?|messages?|nature|element))?\b|\b(?:dog|dogs|pet|pets|hair|horse|beauty|cat) groom\w*\b|\bgrooming (?:business|salon|parlour|van|shop|page)\b|\brogue traders?\b|\bcold call\w* (?:at|to) (?:\w+ ){0,2}(?:home|house|door|address|property|flat)\b/g;
/** "Paid by card" is the victim paying, not someone else using the card. */
export const PAID_BY_CARD =
  /\b(?:paid|pay|paying|payment|pmt) (?:\w+ ){0,2}(?:on|by|with|from|using) (?:my|her|his|our|the|a|company|their)? ?(?:debit |credit |bank |company )?card\b/g;

/** Signals for the rules of thumb (patterns, by name). */
export const SIGNALS = {
  SOCIAL_PLATFORM:
    /\b(?:facebook|instagram|snapchat|tiktok|twitter|linkedin|whatsapp|discord|messenger|youtube|telegram|reddit|twitch|social media|yahoo|gmail|hotmail|outlook|aol|email account|(?<!chang\w+ |new |updat\w+ )(?:my|her|his|their|our) (?:uni |work |personal )?(?:email|inbox|mailbox)(?! address))\b/,
  CHILD_AGE: /\bage(?:[1-9]|1[0-7])\b/,
  CHILD:
    /\b(?:age(?:[1-9]|1[0-7])|child|children|kid|kids|minor|minors|pupil|schoolgirl|schoolboy|year [5-9]|year 1[01]|underage|under age|(?:young|little|teenage|school) (?:girls?|boys?|children)|teenage (?:daughter|son|niece|nephew|granddaughter|grandson))\b/,
  SEXUAL:
    /\b(?:sexual|sexually|sex|naked|nude|nudes|indecent|explicit|intimate|grooming|groomed|underwear|clothes off|strip|undress\w*|private parts|on camera|camera on|(?:photos?|pictures?|pics?|images?) of (?:her|him)self|without clothes|no clothes|send (?:him|her|them) (?:photos|pictures|images)|asked for pictures|what (?:she|he|i) (?:is |s |am |was )?wearing|asked (?:me|her|him|them) for (?:photos|pictures|pics|images|videos)|(?:photos|pictures|images) (?:\w+ ){0,3}sent (?:to )?(?:her|his|a) (?:boyfriend|girlfriend)|sent (?:her|his|a) (?:boyfriend|girlfriend)|sent (?:pictures|photos|images) to|asking to meet|asked to meet|arranged to meet|(?:come|go|visit|stay) (?:to|at) (?:his|her|their) (?:flat|house|home|place|hotel)|(?:says|said|saying|tells|told) (?:he|she) loves? (?:her|him)|keep it (?:a )?secret|paying (?:her|him) to send|(?:more|send) (?:\w+ ){0,2}(?:pictures|photos|videos|images)|do things on camera|sending (?:him|her) images|bra|offering (?:them|her|him) money for|money for (?:photos|pictures|pics|images|videos)|asking (?:her|him|them) for (?:pictures|photos|pics|images|videos))\b/,
  MORE_IMAGES:
    /\b(?:more|another|further|new) (?:\w+ ){0,2}(?:pictures|photos|videos|images|pics)\b|\bsends? more\b/,
  MONEY_DEMAND:
    /\b(?:unless|or|if) (?:\w+ ){0,3}(?:pay|pays|paid|transfer|transfers|give (?:them|him|her) money|send (?:them|him|her) money)\b|\b(?:demand\w*|wants?|wanted|asking for|asked for) (?:\w+ )?\d+\b|\bmoney (?:or|unless)\b|\b(?:demand\w*|want\w*|asking for|asked for|ask for|asks for|requesting|pay|paid|send (?:him|her|them)|extort\w*|blackmail\w*|ransom)\b[^.]{0,50}\b(?:money|bitcoin|cryptocurrency|vouchers|gift cards?|payment|ransom|pay|paypal|cash)\b|\b(?:pay|paying)\b(?: \w+){0,3} (?:or|unless|to (?:get|have|unlock|restore|decrypt))\b|\bmoney (?:via|in|through|by) (?:bitcoin|cryptocurrency|gift cards|paypal|vouchers)\b|\b(?:returned|restored|back) (?:for|if) (?:\w+ ){0,3}(?:money|bitcoin|cryptocurrency)\b/,
  THREAT:
    /\b(?:unless|or else|or (?:\w+ ){0,4}(?:gets|get|sees|see|receives) (?:it|them|the)|if (?:i|you|we|he|she) (?:do|does|did) not (?:pay|send|transfer|give)|or (?:they|he|she|it|we) (?:\w+ )?(?:take|knock|bring|keep|tell)|or (?:they|he|she|it|we|i) (?:will|would|ll|sends?|shares?|posts?|leaks?|publish\w*)|or it goes|otherwise|threat\w*|blackmail\w*|extort\w*|sextortion|ransom\w*|give (?:it|them) back|get (?:it|them) back|have it back|back if|for (?:its|their) return|returned for|to restore|to unlock|to decrypt|leak site|demonstration|every week or|not to (?:publish|leak|release|sell|share|post|expose)|or will (?:share|send|post|leak|publish|release|expose|sell)|(?:would|will) be (?:shared|posted|sent|leaked|published|released)|or (?:the )?(?:video|photos?|pictures?|images?|recording) (?:would|will|goes|gets)|or (?:the |his |her |my |their )?(?:videos?|photos?|pictures?|pics|images?|nudes) (?:\w+ )?(?:sent|shared|posted|leaked|released|go out)|(?:to )?return (?:control|access|the account|it|them)|regain access)\b/,
  WEBCAM_BLUFF:
    /\b(?:recorded (?:me|you) (?:\w+ ){0,3}webcam|(?:filmed|recorded) (?:me|you) (?:\w+ ){0,2}on (?:adult|porn\w*) (?:sites|websites|videos)|password (?:i|you) (?:used|had) (?:\w+ ){0,2}(?:ago|before)|quoted (?:a |an |my |your )?(?:old )?password|hacked (?:my|your) webcam|through (?:my|your) webcam|watching porn|old password|password in the subject|from (?:my|her|his|your|their) own (?:email|e mail)(?: address| account)?)\b|\b(?:saying|says|said|claiming|claims|claimed|stating|states|stated) (?:that )?(?:my|your|her|his|the) (?:phone|camera|webcam|computer|laptop|device) (?:is|was|has been|had been) hacked (?:\w+ ){0,6}record\w*|\b(?:(?:saying|says|said|claiming|claims|claimed) (?:\w+ ){0,3}(?:hacked|got into|accessed) (?:my|your|his|her|their) (?:phone|camera|webcam|computer|laptop|device))\b/,
  PAID_UP:
    /\b(?:i|we|he|she|victim)(?<!\b(?:unless|if|until|or|when|before) \w+) (?:\w+ ){0,3}(?:paid|sent)\b|\bpanicked and paid\b|\balready paid\b/,
  NOT_PAID:
    /\b(?:have not|has not|did not|not|never|without) (?:\w+ )?paid\b|\bnot paying\b|\bnot sending (?:anything|any money|a penny|them anything)\b|\bno payment made\b/,
  INTRUSION:
    /\b(?:gained access|got access|had access|hackers?|hijacked|(?:have|has|got) (?:our|my|their) (?:client|customer|patient|staff|member|donor|pupil|student)\w*|hacked|hacking|compromised|breached|breach|accessed|taken over|got into|broken into|locked out|unauthorised access|claiming to have stolen|stole (?:our|the|my|their|customer|client)|stolen (?:our|the|my|customer|client|data|files)|leak site|threat actor|changed the (?:admin )?password)\b|\b(?:broke into)\b/,
  ACCESS_HAPPENED:
    /\b(?:(?:sign ?in from|log ?in from|login from)(?<!\b(?:tried|trying|attempted|attempt|attempts) to (?:\w+ ){1,2}from)|unauthorised access|unauthorised login|hacked|compromised|taken over|took over|accessed|logged into(?<!\b(?:i|we|victim) logged into)|someone else (?:is |has been |was )?(?:on|using|in)|logging into|got into|locked out|changed (?:my|the|her|his) password|sending spam|remote (?:access|control)|remoted|took control|let (?:him|her|them) (?:on|into|onto)|registered on (?:another|a new|someone else s|a different) (?:phone|device)|(?:i|she|he|we|they) can not (?:get|log) (?:back )?in(?:to)?|(?:files|documents|folders|drive) (?:\w+ ){0,5}(?:encrypted|changed to locked|renamed|locked))\b/,
  LOSS: new RegExp(
    `\\b(?<!\\b(?:unless|if|until|before) )${LOSS_SUBJECT} (?:(?!not |never |nearly |almost )\\w+ ){0,3}${LOSS_VERB}\\b(?! (?:\\w+ )?out\\b)|(?:^ |\\. )${LOSS_VERB}\\b|\\b(?:money|funds|savings|cash) (?:\\w+ ){0,3}(?:taken|gone|lost|stolen|debited|withdrawn|spent|transferred|paid|sent|missing|moved on|went out|came out|left (?:my|her|his|our|the) (?:account|bank))\\b|\\b(?:with|using) (?:my|her|his|our) own (?:money|card|credit card|debit card|savings)\\b|\\b(?:was|were|been|has|have) (?:\\w+ )?(?:taken|stolen|debited|withdrawn|drained|emptied)\\b|\\b(?<!\\b(?:unless|if|until|before) (?:i|we|he|she|you|they) )(?:took|stole|spent|withdrew|debited|charged|lost|paid|sent|transferred|moving|moved|transferring|sending|paying) money\\b|\\b(?:asked|asking|told|telling) (?:\\w+ ){0,2}to (?:pay|transfer|send) (?:\\w+ ){0,8}(?:and )?(?:she|he|i|we|they) did\\b|\\bout of pocket\\b|\\bbalance (?:\\w+ ){0,2}(?:went|dropped|fell) (?:down )?(?:from|to)\\b|\\bloss money\\b|\\btotalling money\\b|\\bmoney (?:in total|altogether|gone)\\b|\\bmoney in payments\\b|\\bpayments? (?:\\w+ ){0,2}(?:i|she|he|we) did not make\\b|\\blost the \\w+|\\bhanded (?:it|them) over\\b|\\btalked into (?:moving|transferring|paying|sending)\\b|\\bpayments? (?:was |were |has been )?(?:made|sent|processed|released)\\b`,
  ),
  NO_LOSS:
    /\b(?:no|nothing|not) (?:\w+ ){0,2}(?:loss|lost)\b|\bnothing (?:\w+ ){0,2}(?:taken|gone|missing|spent|stolen)\b|\bno money (?:\w+ ){0,2}(?:lost|taken|gone|missing)\b|\b(?:did not|have not|has not) (?:lose|lost)\b|\bcancelled the card\b/,
  VICTIM_PAID:
    /\b(?:told|asked|instructed|persuaded) (?:me|her|him|them|us) to (?:\w+ ){0,4}(?:take out|withdraw|transfer|move|buy|send|hand)\b(?=.*\b(?:i|she|he|we) (?:did|complied|went|agreed)\b)|\b(?:hand|handed|give|gave) (?:it|them|the money|the cash|money|cash|(?:the |my |her |his )?(?:card|cards|gold|jewellery)) to (?:a|an|the) (?:officer|courier|driver|man|woman|taxi)\b|\b(?:with|using) (?:my|her|his|our) own (?:money|card|credit card|debit card|savings)\b|\b(?:i|we|she|he|victim|mum|dad|grandfather|grandmother|treasurer|manager|brother|sister|son|daughter|aunt)(?<!\b(?:accessed|hacked|used|using|into|onto|of|to|from) \w+) (?:\w+ ){0,3}(?:transferred|moved|sent(?! (?:a |an |the |me |my |him |her |them )?(?:text|email|message|link|code|screenshot|photo|picture|pictures|photos|images|details|anything))|paid|withdrew|bought|handed|complied|read the codes|read out the codes)\b|\bsafe (?:account|acct)|\bsecure (?:account|acct)|\bholding account\b|\bauthorised (?:the )?(?:push )?payments?\b|\bsent it myself\b|\bgot me to (?:move|transfer|send|pay)\b|\btalked into (?:moving|transferring|paying|sending)\b/,
  VICTIM_DENIES:
    /\b(?:never|did not|not) (?:make|made|approve\w*|authorise\w*|agree\w*) (?:or approved )?(?:any )?(?:transfer|payment|transaction)s? (?:myself|herself|himself)?/,
  CHANGED_DETAILS:
    /\b(?:bank|account|payment|banking|payee) (?:details|instructions) (?:\w+ ){0,3}(?:changed|updated|amended|altered)|\b(?:changed|updated|amended|altered|new|different) (?:\w+ ){0,2}(?:bank|account|payment|banking|remittance) (?:details|instructions)\b|\bchange of bank\b|\bchanged banks?\b|\bdifferent account\b|\bmandate\b|\bspoofed\b|\blookalike\b|\blook alike\b|\bone letter different\b|\b(?:email|emails|mailbox) (?:\w+ ){0,3}(?:compromised|hacked|intercepted|hijacked)\b|\bintercepted\b|\bapparently from\b|\blooked like it was from\b|\bfrom (?:the|our) (?:ceo|chief executive|managing director|headteacher|director)\b|\bnever sent it\b|\b(?:bank|account|payment) details (?:\w+ ){0,2}(?:in|from|on) (?:an|the|a|their) (?:\w+ )?(?:email|invoice|letter)\b|\bemail was (?:fake|not from)\b|\b(?:ceo|chief executive|managing director|director|chair|chairman|chairperson|boss|owner|principal|headteacher|md) (?:\w+ ){0,3}(?:did not|never) (?:send|sent|write|wrote|request|requested|ask|asked)\b|\b(?:fake|spoofed|bogus) (?:\w+ )?(?:ceo|chief executive|managing director|director|boss|chair) (?:email|request|instruction)|\b(?:impersonat\w*|spoof\w*|pretend\w*) (?:\w+ ){0,2}(?:by|via|over) email\b|\bconfirmed no change\b|\blooked like (?:our|their|the|my) (?:chair|chairman|chairperson|ceo|director|managing director|boss|manager|headteacher|treasurer|owner)\b|\blooked like (?:\w+ ){0,2}(?:solicitor|conveyancer|builder|supplier|landlord|letting agent|estate agent|accountant)(?: s)?\b|\b(?:solicitor|conveyancer|supplier|builder|landlord|contractor|accountant)s? (?:\w+ ){0,3}(?:never|did not|has not|have not) (?:receive|received|got|get)\b|\bactually from (?:a |the )?(?:fraudster|scammer|criminal|hacker)s?\b|\bappeared to be (?:from )?(?:our|their|the|my)\b|\b(?:email|emails|invoice) (?:was |were )?not from (?:them|him|her|us|the \w+)\b|\blooked like (?:our|their|the) (?:\w+ ){0,2}(?:supplier|domain|email|company)\b|\bsimilar (?:domain|email address)\b|\bto (?:their|our) new (?:\w+ )?(?:bank|account)\b|\b(?:our|their) bank (?:had |has |have )?changed\b|\bnew (?:\w+ )?details for (?:the |a |our |their )?(?:\w+ )?(?:deposit|payment|invoice|rent|completion|balance)\b|\bnew (?:bank )?account\b|\b(?:bank|rent|payment|receiving|company|business) account (?:\w+ ){0,2}(?:had |has |was |had been |has been )?changed\b/,
  TRIED_ACCESS:
    /\b(?:trying|tried|attempt\w*) to (?:get into|get in to|log into|log in|login|access|hack|break into|sign in)\b|\blogin attempts?\b|\bcodes? (?:\w+ ){0,6}(?:i|she|he) (?:did not|never) (?:request|ask for)\w*/,
  CODE_GIVEN:
    /\b(?:read|reading|gave|give|giving|told|tell|telling|shared|sharing) (?:out )?(?:\w+ ){0,2}(?:code|otp|one time passcode|passcode|verification code|security code)\b(?! (?:\w+ ){0,2}(?:gift|voucher|vouchers|card|cards))/,
  RELATIONSHIP:
    /\b(?:dating|tinder|bumble|hinge|grindr|match com|plenty of fish|silver singles|silversingles|zoosk|eharmony|ourtime|badoo|relationship|(?<!ex )(?:boyfriend|girlfriend)|fiance\w*|in love|loves? (?:me|her|him)|loved me|romance|romantic|marry|married|proposed|widower|never met|(?:so|until) (?:we|they) (?:could|can) be together|be with me)\b|\b(?:met (?:\w+ ){0,3}?(?:online|on|via|through) (?:a |an |the )?(?:\w+ )?(?:dating|app|match|facebook|instagram|snapchat|game|games|website|site|social media|insta|tiktok|chat|online|words with friends))\b/,
  REWARD:
    /\b(?:lottery|prize|won|winner|winnings|competition|inheritance|beneficiary|loan|grant|rebate|compensation|ppi|(?:was|am|is|were|are) owed|job|recruiter|tasks?|commission|funding|promised (?:\w+ ){0,3}(?:investment|funding|loan|grant)|recovery (?:company|firm|agent|service)|get (?:my|the|your) (?:\w+ )?money back|recover (?:\w+ ){0,2}money)\b/,
  PAYMENT_ACCOUNT_SPEND:
    /\bsaved card\b|\bpaypal (?:account )?(?:was |got |has been )?(?:hacked|accessed|compromised|used|taken over)\b|\b(?:ordered|bought|spent|purchased) (?:\w+ ){0,5}(?:using|with|on) (?:my|her|his|the|it|their)\b|\b(?:took|taken|transferred|moved) money\b/,
  VULNERABLE:
    /\bage(?:[7-9]\d|1[0-7]|[1-9])\b|\b(?:elderly|pensioner|oap|dementia|alzheimer\w*|parkinson\w*|(?:am|is|are|being|registered|severely|physically|mentally|profoundly|also) disabled|disabled (?:and|person|man|woman|people|son|daughter|husband|wife|mum|dad|brother|sister|child|adult|pensioner|veteran|relative|friend)|disability|disabilities|learning (?:difficult\w*|disabilit\w*)|autis\w*|asperger\w*|adhd|down s syndrome|mental health|mental illness|depression|depressed|anxiety|bipolar|psychosis|psychotic|schizophreni\w*|manic|ptsd|psychiatrist|suicid\w*|ending it|end it all|end my life|kill myself|self harm|crisis|care coordinator|support worker|carer|housebound|wheelchair|hard of hearing|blind|deaf|has ms|multiple sclerosis|dementia|confused|vulnerable|repeat victim|(?:second|third|fourth|fifth|2nd|3rd|4th) (?:time|man|woman|scam|one)|already (?:been )?scammed|scammed (?:before|again|last year)|(?:hacked|scammed|happened|called|done this) (?:\w+ )?again|can not stop shaking|have not slept|can not cope|(?:lives|living) (?:alone|on (?:her|his) own) and)\b/,

  NEGATED_GATE: new RegExp(NEGATED.source),
  PAID_BY_CARD_GATE: new RegExp(PAID_BY_CARD.source),
} as const satisfies Record<string, RegExp>;
