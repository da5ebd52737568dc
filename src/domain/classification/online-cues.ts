import type { Category } from './taxonomy.ts';

/**
 * Data for step 1 of the classifier: was the crime committed, wholly or partly, through a computer, a network or
 * an online service (the Home Office Counting Rules' online flag), and through which medium? Patterns run on
 * normalised text (normalise-text.ts). A voice call, a letter or a meeting in person is not an online element;
 * contact made online that led to the crime is one.
 */

export const MEDIA = [
  'email',
  'website-app',
  'social-media',
  'messaging',
  'online-marketplace',
  'crypto',
  'remote-access',
  'computer-misuse',
] as const;

export type Medium = (typeof MEDIA)[number];

export function isMedium(value: unknown): value is Medium {
  return typeof value === 'string' && (MEDIA as readonly string[]).includes(value);
}

export interface OnlineCue {
  /** Stable id: decisions and explanations refer to cues by it. */
  id: string;
  /** The medium it shows, or null for evidence of no online element (a negative weight). */
  medium: Medium | null;
  weight: number;
  pattern: RegExp;
  label: string;
}

/** Words that look like cues but are not: masked before the cues run. */
export const ONLINE_MASKS: readonly RegExp[] = [
  /\bhacked (?:off|at|away)\b/g,
  // What a fraudster's caller claims ("your account is compromised") is not evidence of an online element.
  /\b(?:said|says|told|telling|saying|claimed|claiming|stating|advised|advising|informed) (?:\w+ ){0,12}(?:compromised|hacked|viruses|virus|infected|hackers?)\b/g,
  // …nor is what a caller says about the victim's internet, broadband or router ("your internet will be cut off").
  /\b(?:said|says|saying|claimed|claiming|stating|told (?:me|her|him|them)) (?:\w+ ){0,7}(?:internet|broadband|router|wifi)\b(?= (?:\w+ ){0,3}(?:cut off|disconnected|switched off|turned off|stopped|suspended|problem|fault|slow))/g,
  // Looking up, after an offline crime, who did it or where the stolen goods are for sale.
  /\b(?:found|looked up|searched for|tracked down|recognised) (?:him|her|them|the (?:man|woman|lad|lads|male|female|driver|suspect|person)) (?:\w+ ){0,2}on (?:facebook|instagram|snapchat|tiktok|twitter|linkedin|social media)\b/g,
  /\b(?:seen|saw|spotted|found) (?:(?:my|her|his|their|our|the|it|them|one|some|both)\b(?: \w+){0,3} )(?:for sale|advertised|being sold|listed) (?:on|online)(?: (?:facebook|marketplace|ebay|gumtree|the internet|vinted|online))*(?: \w+)?(?: \.)?(?: (?:here is|here s|heres|this is|i have|attached is) (?:the |a )?link)?/g,
  /\b(?:found|looked up|searched for|tracked down|recognised) (?:his|her|their|the (?:man|woman|male|female|suspect|seller|driver) s) (?:facebook|instagram|snapchat|tiktok|twitter|linkedin|insta)(?: profile| page| account)?\b/g,
  // Someone who stopped answering is not how the crime was committed ("stopped replying to my texts").
  /\b(?:stopped|stop|not|never|ignor\w*|won t|will not) (?:\w+ ){0,2}(?:replying|responding|answering|reply|respond|answer) (?:to )?(?:my |her |his |our |any )?(?:calls (?:or|and) )?(?:texts|messages|text|emails)\b/g,
  // A caller asking for access that was refused, or talking about an account, is a call, not access.
  /\b(?:asked|wanted|tried|trying) (?:\w+ )?(?:to )?(?:access|get into|get onto|get on|connect to|log into) (?:my|his|her|their|the) (?:pc|computer|laptop|device)\b(?=(?: \w+| \.){0,14} (?:refused|declined|hung up|put the phone down|ended the call|did not let|would not let))/g,
  /\b(?:asked|wanted|told|telling) (?:me|her|him|them|us) to (?:download|install) (?:\w+ ){0,3}(?:app|software|program|programme|anydesk|teamviewer)\b(?=(?: \w+| \.){0,14} (?:refused|declined|hung up|put the phone down|ended the call|did not|before giving))/g,
  /(?<=\b(?:call|calls|called|rang|phoned|ringing|caller)\b(?: \w+){0,4}) (?:about|re|regarding|saying) (?:my|her|his|your|an?|the) (?:amazon|amazon prime|prime|netflix|paypal|apple|microsoft|google|icloud|sky|bt)(?: prime)? (?:account|subscription|membership)\b/g,
  /\bfind my(?: iphone| phone| app| device)?\b/g,
  // A letterbox or the flats' mailbox for the post; an account that has not been hacked.
  /\b(?:mailbox|mail box)\b(?<=\b(?:post|letters?|statements?|parcels?)\b(?: \w+){0,6} (?:mailbox|mail box))/g,
  /\b(?:not|never) (?:been |being )?(?:hacked|compromised)\b/g,
  /\b(?:voice ?mails?(?! system)|voice messages?|answer ?phone messages?)\b/g,
  /\b(?:ring|video) doorbell(?: camera| footage)?\b/g,
  // "Offline" words that contain a cue word.
  /\b(?:text book|textbook)\b/g,
  // Someone reading a phone in their hands is not an online element.
  /\b(?:reads|read|reading|checks|checked|checking|going through|went through|looks through|looked through) (?:\w+ ){0,3}(?:texts|messages|phone|banking app|bank app)\b/g,
  /\b(?:posted|posting|post|pushed) (?:\w+ ){0,4}(?:through|in|into) (?:\w+ ){0,2}(?:letterbox|letter box|door)\b/g,
  // A list of denials: "no texts, links or apps installed".
  /\b(?:no|not|never|without|nothing) (?:\w+ ){0,2}(?:texts?|messages?|emails?|links?|apps?|software)(?: (?:or|and|nor) (?:any )?(?:texts?|messages?|emails?|links?|apps?|software)| (?:texts?|messages?|emails?|links?|apps?|software))+(?: (?:installed|downloaded|clicked|sent|involved|used))?\b/g,
  /\b(?:no|not|never|without|nothing) (?:\w+ ){0,2}(?:online|internet|email|computer|remote access|texts?|messages?|whatsapp|social media)(?: element| contact)?\b/g,
  // The victim's own banking used on a caller's instructions is how they paid, not how the crime reached them: "told
  // me to log into my online banking", "victim instructed to transfer money via her own banking app".
  /\b(?:told|asked|directed|instructed|got|had|wanted|talked)(?: (?:me|her|him|them|us|v|victim|mum|dad))? (?:into |to )?(?:log|logging|sign|signing|go|going) (?:into|in|on|onto)(?: to)? (?:(?:my|her|his|their|our) (?:own )?|own )(?:online banking|internet banking|mobile banking|banking app|bank app|banking)\b/g,
  /(?:(?<=\b(?:i|we|v|victim|she|mum|dad|nan|gran|grandad|grandma)\b(?: \w+){0,4} )|(?<=\b(?:said|told|asked|wanted|instructed|directed|advised)(?: (?:me|her|him|us|them|v|victim))? to ))(?:transfer|transferred|transferring|move|moved|moving|send|sent|sending|pay|paid|paying)(?: (?!(?:on|via|through|using|from|with|in|at|off|to)\b)\w+){0,4}(?: to (?:a|an|the|his|her|their) (?:\w+ ){0,2}account)? (?:via|using|on|through|from|with|in) (?:my|her|his|their|our) (?:own )?(?:online banking|internet banking|mobile banking|banking app|bank app)\b/g,
  // Remote access denied: "he never asked to get on my computer", "no RA software".
  /\b(?:never|not|did not|no|without) (?:\w+ ){0,3}(?:get on|get onto|get into|access|connect to|remote into|take over) (?:my|her|his|the|our) (?:computer|laptop|pc|screen|device|mac)\b|\bno ra(?: software| app)?\b/g,
  // A "hack" the report itself explains away ("thought the neighbours were hacking in … the engineer said it was
  // faulty"), and questions ("can smart meters be hacked", "is this a virus or a hack").
  /\b(?:thought|convinced|worried|sure|assumed|wondered|feared|panicked|scared|afraid)\b(?: \w+){0,8} (?:hacked|hacking|hack|hacker|hackers|virus|spyware|malware)(?: in| into (?:it|them))?\b(?=(?: \w+| \.){0,30} (?:turned out|turns out|engineer said|shop said|(?:it|that|this) (?:was|is) (?:just |only )?(?:a |the )?(?:fault|faulty|battery|stuck|glitch|bug|update|broken)|faulty|forgot|forgotten)\b)/g,
  /\bcan (?:\w+ ){1,3}be hacked\b|\bis (?:this|it|that) (?:a |an )?(?:virus|hack)(?: or (?:a |an )?(?:virus|hack))?(?= \.| $)/g,
  // Wider denials: "no contact by phone or social media", "nothing to do with online", "or anything online" (the
  // span stops at a word that turns it round: "no contact except on facebook").
  /\b(?:no|not|never|without) (?:contact|contacted|messages?|texts?|calls?)(?: (?!(?:except|but|apart|other|only|until|since|before|after)\b)\w+){0,4} (?:online|internet|email|social media|texts?|messages?|whatsapp|facebook|snapchat|instagram)\b/g,
  /\bnothing(?: (?!(?:except|but|apart|other|only)\b)\w+){0,4} online\b/g,
  /\b(?:or|and|nor) anything (?:online|on line|on the internet)\b/g,
  /\bnever (?:used|bought|shopped|banked|paid|been)(?: \w+){0,3} online\b/g,
  /\bno (?:hacking|hack|hacks)\b/g,
  /\bblocked (?:\w+ ){0,2}on (?:all |every )?(?:social media|platforms|apps|facebook|instagram|snapchat|whatsapp)\b(?= (?:\w+ ){0,2}no contact)/g,
  // Reading a balance or a statement in a banking app is not how the money went.
  /\b(?:bank|banking) app (?:shows|showed|says|said|showing)\b/g,
  /\bmessages? (?:was |were )?(?:passed on|relayed|given) (?:verbally|in person|by word of mouth|face to face)\b/g,
  // Welsh "dim" / "heb" (no, without): "dim ebost na neges", "dim byd ar-lein", "heb gyfrifiadur".
  /\b(?:dim|heb)(?: (?!but\b)\w+){0,3} (?:online|on lein|email|messages?|computer|internet|texts?)(?: (?:na|nac|neu) (?:online|email|messages?|computer|internet|texts?))?\b/g,
  // A stolen phone's apps are property, not the medium: "the phone had banking apps on it", "apps logged out".
  /\b(?:phone|it|mobile|handset|iphone) (?:had|has|with) (?:\w+ ){0,2}(?:banking |bank |payment )?apps?(?: on(?: it)?)?\b/g,
  /\bapps? (?:were |was |all )?(?:logged out|locked|secured|blocked)\b/g,
  // Evidence of an offline crime passed on afterwards: footage sent to the officer, a delivery confirmed by email,
  // an appeal on the village Facebook page, texts kept that show a dispute, alerts from a home alarm.
  /\b(?:footage|clip|cctv|dashcam|dash cam|recording)\b (?:\w+ ){0,3}(?:emailed|sent|forwarded|uploaded|shared)(?: (?:\w+ ){0,3}(?:on|by|via|over) (?:whatsapp|email|text|messenger))?\b|\b(?:sent|emailed|forwarded|shared) (?:me |us |her |him |police |the police |it )?(?:the |a |their |his |her )?(?:clip|footage|cctv|recording)(?: (?:on|by|via|over) (?:whatsapp|email|text|messenger))?\b/g,
  /\b(?:confirmed|confirmation of) (?:the )?delivery (?:by|via) (?:email|text)\b|\bdelivery (?:confirmation|confirmed) (?:by|via) (?:email|text)\b/g,
  /\b(?:put|posted|shared) (?:it|this|the (?:footage|video|clip|photos?|pictures?)) on (?:the |our )?(?:village|local|community|neighbourhood|town|area|estate|street s|street) (?:facebook|nextdoor)(?: (?:page|group))?\b|\b(?:camera|footage|video) (?:\w+ ){0,6}ei rannu on facebook\b/g,
  /\b(?:knows?|recognised|recognises|identified) (?:\w+ ){0,2}(?:him|her|them|one of them|the lad|the man|who it is|who it was) (?:off|from|on) (?:facebook|instagram|snapchat|tiktok|social media)\b/g,
  /(?<!\b(?:posted|put|shared|posting|putting|sharing) )\b(?:suspect s|suspects|suspect|his|her|their|friends|mates|offender s|offenders) names? (?:is |was )?(?:on|from) (?:a |his |her |their )?(?:facebook|instagram|snapchat|tiktok)(?: (?:post|page|profile))?(?: by a witness)?\b/g,
  /\b(?:i have|i have got|i got|i kept|we have|we have got|have got|got) (?:all |the )?(?:of )?(?:his |her |their |our )?(?:texts|messages|emails|whatsapps|screenshots)(?: (?:of|from) (?:\w+ ){0,2}(?:texts|messages|him|her|them))? (?:denying|admitting|admits|agreeing|promising|confirming|where (?:he|she|they) (?:admits?|admitted|agreed|agrees|promised|promises)|saying (?:it was|(?:he|she|they) (?:be|would be|will be|was|were) (?:back|round|here|coming|paying)))\b/g,
  /\b(?:email |text |app )?(?:alerts?|notifications?) from (?:the |my |our )?(?:alarm|security|camera|doorbell|tracker)(?: (?:app|system))?\b/g,
  /\b(?:have|has|had|got|caught|captured) (?:it|him|her|them|this|everything|the whole thing) on (?:camera|cctv|film|video|bodycam|body cam)\b/g,
  /\b(?:bitcoin|crypto|cryptocurrency) (?:\w+ ){0,2}(?:on|in) (?:a |my |the )?paper wallet\b/g,
  // Seeing a stolen card's payments, or stopping the card, in the banking app is not how the card was used.
  /\b(?:saw|seen|noticed|spotted) (?:it|them|the (?:payments?|transactions?|declined payment|charges?)|(?:\w+ ){0,2}(?:payments?|transactions?)) (?:\w+ ){0,2}on (?:my |the |her |his )?(?:banking |bank )?app\b/g,
  /\b(?:stopped|froze|frozen|cancelled|blocked|freeze|cancel|block|stop) (?:\w+ ){0,3}(?:cards?|account) (?:\w+ ){0,2}(?:via|on|through|in|using) (?:the |my |her |his |their )?(?:banking |bank )?app\b|\bcards? (?:\w+ ){0,2}(?:stopped|frozen|cancelled|blocked) (?:via|on|through|in|using) (?:the |my |her |his )?(?:banking |bank )?app(?: on (?:\w+ ){0,2}phone)?\b/g,
  /\b(?:tracker|tracking|the) app (?:shows|showed|says|said|showing)\b/g,
  /\b(?:went|go|going|looked|looking|checked|checking) through (?:the |my |our |her |his )?(?:online |bank )?statements?\b/g,
  /\b(?:wiped|locked|erased) (?:it |the phone |the device )?remotely by (?:ip|vic|victim|the owner|owner|me|her|him|them|us)\b/g,
];

const w = (id: string, medium: Medium | null, weight: number, pattern: RegExp, label: string): OnlineCue => ({
  id,
  medium,
  weight,
  pattern,
  label,
});

export const ONLINE_CUES: readonly OnlineCue[] = [
  // Email.
  w(
    'email',
    'email',
    3,
    /\b(?:email|emails|emailed|emailing|e mail|e mails|inbox|mailbox|mailboxes|gmail|hotmail|outlook|yahoo|aol|phishing email|spoofed email|email address)\b/,
    'an email',
  ),
  // Websites and apps.
  w(
    'online',
    'website-app',
    3,
    /\b(?:online|on line|internet|website|websites|web site|web page|webpage|site|url|link|links|qr code|login page|log in page|google ads?|google (?:page|listing|business page|business profile|profile|maps)|(?:fake|cloned|spoof\w*|copy of|version of) (?:\w+ ){0,4}(?:page|site|website|web page)|(?:google|trustpilot|tripadvisor|yelp) reviews?|reviews? (?:\w+ )?on (?:google|trustpilot|tripadvisor|yelp)|search result|pop ?ups?|browser|download\w*|cloud|icloud|apple id|app store|web chat|live chat|zoom|skype|video call\w*|facetime|streaming|dark web|forum|chat room|chatroom|https|http|www|\w+ (?:com|co uk|org uk)|fake (?:\w+ )?(?:page|site|website|shop)|click(?:ed|ing)? (?:on )?(?:the |a |an |their )?(?:\w+ ){0,2}(?:text|email|message|ad|advert))\b|\b(?:google (?:advert|adverts|ad|ads|search))\b/,
    'online, a website or a link',
  ),
  w(
    'app',
    'website-app',
    3,
    /\b(?:app|apps|banking app|bank app|online banking|internet banking|mobile banking|dating app|dating apps|dating site|dating profile|tinder|bumble|hinge|grindr|plenty of fish|match com|silver singles|silversingles|zoosk|eharmony|ourtime|badoo|muzmatch|lumen dating|paypal|netflix|spotify|strava|steam|fortnite|roblox|minecraft|xbox live|playstation network|psn|discord server|uber|ubers|deliveroo|just eat|airbnb|booking com|amazon account|amazon prime account|google account|microsoft account|universal credit|government gateway|gaming|game chat|online game|words with friends|revolut|monzo|google pay|apple pay)\b|\b(?:(?:on|via|through) match)\b|\b(?:google chat)\b|\b(?:hangouts)\b|\b(?:google meet)\b|\b(?:klarna)\b|\b(?:clearpay)\b|\b(?:laybuy)\b|\b(?:paypal credit)\b|\b(?:alexa)\b/,
    'a website or app',
  ),
  // Social media.
  w(
    'social',
    'social-media',
    3,
    /\b(?:facebook|instagram|snapchat|tiktok|twitter|x account|linkedin|youtube|reddit|twitch|social media|messenger|discord|onlyfans|pinterest|followers|fake account|fake profile|anonymous account|account on (?:x|twitter)|trolled|trolling)\b|\b(?:insta)\b|\b(?:snapchats)\b|\b(?:snaps)\b|\b(?:tiktoks)\b|\b(?:tik toks)\b|\b(?:friend requests?)\b|\b(?:tagg\w* (?:me|her|him) in)\b/,
    'social media',
  ),
  w(
    'posted',
    'social-media',
    2,
    /\b(?:posted|posting|post on|posts on|profile|story|stories|comments? (?:on|under)|commented)\b/,
    'something posted online',
  ),
  // Messaging.
  w(
    'messaging',
    'messaging',
    3,
    /\b(?:hi_mum|new number|whatsapp\w*|telegram|signal app|imessage|wechat|viber|kik|texted|texting|txt\w*|text message|text messages|(?:a|by|via|abusive|threatening|sent|received|got|getting|receiving) (?:\w+ )?texts?|texts? (?:came through|came in|arrived|from an? (?:unknown )?number)|teams|airdrop|air dropped|airdropped|direct message|direct messages|group chat|voice notes?)\b/,
    'text or instant messages',
  ),
  w(
    'images-sent',
    'messaging',
    2.5,
    /\b(?:(?:sent|send|sends|sending|shared|share|sharing|post|posted|leak|leaked|publish\w*|asked for|asking for|wants|wanted|demand\w*) (?:\w+ ){0,4}(?:nudes?|(?:naked|intimate|explicit|sexual|private|indecent) (?:photos?|pictures?|pics|images?|videos?|selfies?))|nudes|sexting|sextortion|webcam|video call|on camera)\b/,
    'images or video sent or threatened to be shared',
  ),
  w('messages', 'messaging', 2.5, /\b(?:text|texts|messages|message|messaged|messaging)\b/, 'messages'),
  // Online marketplaces.
  w(
    'marketplace',
    'online-marketplace',
    3.5,
    /\b(?:marketplace|ebay|gumtree|vinted|depop|shpock|preloved|etsy|pets4homes|pets 4 homes|autotrader|auto trader|pistonheads|rightmove|zoopla|spareroom|openrent|onthemarket|amazon seller|amazon store|amazon shop|amazon listing|amazon marketplace|online listing|(?<!google |our )listings?|advert on(?! (?:tv|the tv|television|the telly|radio|the radio|a bus|the bus|a billboard))|advertised on(?! (?:tv|the tv|television|the telly|radio|the radio))|online advert|online ad)\b/,
    'an online marketplace',
  ),
  // Crypto.
  w(
    'crypto',
    'crypto',
    3,
    /\b(?:bitcoin|cryptocurrency|crypto|ethereum|tether|litecoin|dogecoin|binance|coinbase|kraken|metamask|crypto wallet|nft|nfts|blockchain)\b/,
    'cryptocurrency',
  ),
  w(
    'abuse-images',
    'website-app',
    3,
    /\b(?:indecent|sexual|abuse) (?:images?|photos?|pictures?|videos?) of (?:\w+ ){0,2}(?:children|child|kids|minors|girls|boys)\b|\b(?:csam|iioc|child abuse (?:images?|material))\b/,
    'images of child abuse',
  ),
  // Remote access.
  w(
    'remote',
    'remote-access',
    4,
    /\b(?:he|she|they|the caller|the man|the scammer|scammers?) (?:then |had |has )?connected (?:in)?to (?:it|(?:my|our|her|his|their|the) (?:\w+ )?(?:pc|computer|laptop|till|machine|device|mac))\b|\b(?:any ?desk|teamviewer|team viewer|quick ?support|quick assist|ultraviewer|logmein|remote access|remote control|remote desktop|remotely accessed|accessed (?:\w+ ){0,3}remotely|remote (?:\w+ )?software|screen ?shar\w*|share (?:\w+ ){0,2}screen|took control of (?:\w+ ){0,2}(?:computer|laptop|pc|screen)|see (?:my|her|his|the) screen|(?:onto|on to|into) (?:my|her|his|the) (?:computer|laptop|pc)|took over (?:\w+ ){0,2}(?:computer|laptop|pc|screen)|(?:gave|give|given) (?:\w+ ){0,3}access|remoted (?:in|on|into)|for (?:him|her|them) to (?:connect|get on|get in)|mov(?:e|ed|ing) (?:my|the) mouse|mouse (?:was )?mov(?:e|ed|ing)|install\w* (?:\w+ ){0,2}(?:app|software|program|programme)|put software)\b|\b(?:connect\w* (?:to|into|onto) (?:my|her|his|the) (?:computer|laptop|pc))\b/,
    'remote access to a computer',
  ),
  // Computer misuse: hacking, malware, denial of service, spyware.
  w(
    'hacking',
    'computer-misuse',
    4,
    /\b(?:hacked|hacking|hacker|hackers|hack|compromised account|account (?:\w+ ){0,2}compromised|(?:email|account|password|login|profile) (?:\w+ ){0,3}(?:accessed|changed|taken over|hijacked)|(?:accessed|logged into|logging into|got into) (?:\w+ ){0,3}(?:account|email|emails|profile|icloud|laptop|computer|network|cameras?|phone remotely)|unauthorised access|malware|virus|viruses|ransomware|spyware|stalkerware|keylogger|trojan|rat|botnet|ddos(?:ed|ing|es|s|er|ers)?|denial of service|booter|stresser|phished|phishing|sim swap\w*|two factor|2fa|locked out of|encrypted (?:all|our|the|his|her|their) files|files (?:\w+ ){0,2}encrypted|data breach|breached|exfiltrat\w*|sql injection|defaced|voip|pbx|tracking app|hidden app|spy app|email forward\w*|forwarding rule\w*|cyber ?attack|cyber|logged into|logging into|log into|logs into|got into (?:\w+ ){0,2}(?:banking app|bank app|online banking|account|amazon|paypal)|voicemail system|phone system|telephony|call forwarding|diverted)\b|\b(?:admin (?:password|credentials|login|rights))\b|\bcracked (?:\w+ ){0,2}password\b|\bnew admin (?:user|account)\b|\b(?:unknown|new|rogue) (?:admin |user )?accounts? (?:\w+ ){0,2}on (?:our|the|their|his|her) (?:server|servers|network|system|systems)\b|\bfiles (?:\w+ ){0,2}copied out\b|\b(?:copied|downloaded|exfiltrated) (?:\w+ ){0,3}(?:from|off|out of) (?:our|the|their) (?:server|servers|network|file share|shared drive)\b|\b(?:installed|put) (?:something|an app|software|a program|a tracker|spyware) on (?:my|her|his) (?:phone|laptop|computer|pc|tablet|ipad)\b|\b(?:(?:deleted|wiped) (?:\w+ ){0,3}(?:shared drive|server|servers|database|website|cloud|backups))\b/,
    'hacking, malware or spyware',
  ),
  // Money moved out of a bank account with no card or cash involved: online banking, most likely.
  w(
    'account-drained',
    'website-app',
    2,
    /\b(?:transfers?|money|payments?) (?:\w+ ){0,3}(?:gone|taken|missing|moved|transferred) (?:\w+ ){0,2}(?:from|out of) (?:my|her|his|our|the|victim) (?:bank |current |savings )?account\b|\b(?:transfers?|payments?) (?:\w+ ){0,2}(?:i|she|he|we) (?:did not|never) (?:do|make|made)\b/,
    'money moved out of a bank account',
  ),
  w(
    'device-access',
    'computer-misuse',
    2,
    /\b(?:password|passwords) (?:\w+ ){0,3}(?:changed|reset|guessed|used)\b|\bunknown devices?\b|\bsomeone else (?:is |has been |was )?(?:on|using|in|logged into) (?:my |the |our )?(?:account|profile)\b|\bwithout (?:\w+ )?permission (?:\w+ ){0,3}(?:account|phone|laptop)\b/,
    'someone else using an account or device',
  ),
  // Evidence against an online element: voice calls, letters, meetings in person.
  w(
    'voice-call',
    null,
    -1,
    /\b(?:cold called|cold call|cold caller|landline|phoned|rang|telephone call|phone call|over the phone|on the phone|called (?:by|from)|caller)\b/,
    'a voice call',
  ),
  w(
    'post',
    null,
    -1,
    /\b(?:by post|letter|letters|leaflet|brochure|newspaper|magazine|flyer)\b/,
    'a letter, a leaflet or the post',
  ),
  w(
    'in-person',
    null,
    -1,
    /\b(?:in person|face to face|doorstep|knocked on|(?:at|to) (?:the|her|his|their|victim s|victim) (?:front )?door|in the street|approached|visited|in branch|at the branch|cash machine|cheque|cheques|cash)\b/,
    'contact in person or in cash',
  ),
];

/**
 * Signals step 2 reads for crimes with no online element: which deception frauds the taxonomy counts without one
 * (a caller, a letter, a cloned card) and which it does not (a doorstep caller, a stolen card).
 */
export const CHANNEL_SIGNALS = {
  /** A card copied or swapped rather than stolen. */
  'card-cloned':
    /\b(?:cloned|cloning|copied|skimm\w*|card swap|shoulder surf\w*|card details (?:\w+ ){0,3}(?:over the phone|on the call|to (?:the |a )?caller))\b|\b(?:swapped|switched) (?:\w+ ){0,2}cards?\b|\bcards? (?:\w+ ){0,3}(?:swapped|switched)\b|\bcard (?:\w+ ){0,4}(?:that is |which is )?not (?:hers|his|mine|theirs|my card|her card|his card)\b|\bsomeone else s card\b|\b(?:watch\w*|saw|seen) (?:me|her|him) (?:put|putting|enter\w*|typ\w*|key\w*) (?:in )?(?:my|her|his) pin\b|\bcard (?:appeared|got|was|seemed) (?:to be )?stuck\b(?= (?:\w+ ){0,6}(?:helped|help|stood|behind))/,
  /** A voice call or a letter: the taxonomy's offline deception routes. */
  remote:
    /\b(?:cold called|cold call|cold caller|landline|phoned|rang|ringing|telephone|phone call|over the phone|on the phone|call|called|calls|caller(?! (?:reports|reported|states|stated|advises|advised|says|said|believes|is reporting|has reported|s (?:mother|father|mum|dad|nan|gran|neighbour|son|daughter|wife|husband|partner)))|letter|by post|brochure|newspaper|advert|magazine)\b/,
  /** Someone at the door or in the street: doorstep crime, which stays other. */
  doorstep:
    /\b(?:doorstep|door|knocked|visited|in the street|approached|came round|came to (?:the |her |his )?(?:house|home|address)|rogue trader|in the pub|in a pub|at church|at the church|in cash|cash in hand)\b/,
} as const satisfies Record<string, RegExp>;

/** Signals step 2 reads for crimes with an online element. */
export const STEP2_SIGNALS = {
  /** A partner or ex monitoring the victim: stalkerware is online harassment, not malware. */
  'partner-tracking':
    /\b(?=.*\b(?:partner|ex|husband|wife|boyfriend|girlfriend|da)\b)(?=.*\b(?:spyware|stalkerware|track\w*|location|hidden app|spy app|monitor\w*|airtag|air tag|knew where (?:i|she|he) (?:was|had been|went)|read (?:her|his|my) messages|forward\w* (?:her|his|my) messages|(?:installed|put) (?:something|an app|software|a program|a tracker) on (?:my|her|his) (?:phone|laptop|computer|pc|tablet|ipad)|to (?:scare|frighten|intimidate|control|torment|wind up) (?:me|her|him)|knew (?:what|everything) (?:i|she|he) (?:googled|searched|looked at|looked up|had been doing|was doing online))\b)/,
} as const satisfies Record<string, RegExp>;

/**
 * A suspicious call or letter is an attempt (phishing-attempt) only when it asked for something: money, details,
 * a code, access. Silent or nuisance calls and a debt letter are not.
 */
export const ATTEMPT_ASKED =
  /\b(?:pay|paid|paying|payment|fee|fees|money|send|transfer|(?<!\b(?:never|not|no) (?:given |gave |give |asked for |asking for )?)details|card|bank|code|codes|password|pin|account|login|access|won|prize|refund|arrest\w*|(?:be|being) (?:cut off|disconnected|suspended)|wanted me to|asked me to|told me to|asking me to|press 1|pressed 1|press one|pressed one)\b/;

/** Investment cues strong enough to count an investment fraud with no online element (not "land" or "gold"). */
export const OFFLINE_INVESTMENT_CUES: readonly string[] = [
  'investment-fraud.money-invested',
  'investment-fraud.shares-or-broker',
  'investment-fraud.fake-investment',
];

/**
 * Category cues for an online crime the category cues left as other, by the words that show it: step 2 reads
 * them only when step 1 found an online element and nothing else matched.
 */
export const ONLINE_FALLBACK: readonly { id: string; category: Category; pattern: RegExp; label: string }[] =
  [
    {
      id: 'fallback.harassment',
      category: 'online-harassment',
      pattern:
        /\b(?:pretending to be me|posing as me|posted (?:\w+ ){0,2}(?:address|photos?|pictures?|video|lies)|put (?:\w+ ){0,2}(?:video|photos?|pictures?) (?:on|online)|unsolicited|genitals|fake (?:account|profile)|posting (?:\w+ ){0,2}(?:rude|nasty|abusive|lies|stuff)|rude stuff|screenshots|abusive|abuse|threaten\w*|threats?|stalk\w*|harass\w*|bully\w*|trolling|trolled)\b/,
      label: 'abuse, exposure or impersonation of the victim online',
    },
    {
      id: 'fallback.site-changed',
      category: 'hacking-server',
      pattern:
        /\b(?:website|web site|site|page|donations page|homepage) (?:\w+ ){0,2}(?:replaced|changed|defaced|altered|redirected)\b/,
      label: 'an organisation’s website was changed',
    },
    {
      id: 'fallback.never-came',
      category: 'online-shopping-fraud',
      pattern:
        /\b(?:never (?:came|arrived|turned up|delivered)|blocked me|not delivered|nothing (?:was |got |ever )?(?:delivered|arrived|came))\b/,
      label: 'paid for something online that never came',
    },
    {
      id: 'fallback.attacked',
      category: 'denial-of-service',
      pattern:
        /\b(?:network|wifi|website|server) (?:\w+ ){0,2}attacked\b|\b(?:could not|can not|couldn t) get online\b/,
      label: 'a network or service attacked and unusable',
    },
    {
      id: 'fallback.phone-lines',
      category: 'hacking-pbx',
      pattern: /\bphone lines? (?:\w+ ){0,2}(?:diverted|hijacked|hacked)\b/,
      label: 'a business’s phone lines diverted',
    },
  ];

/** The journey's "how did they contact you" answers that are themselves an online element. */
export const CONTACT_MEDIUM: Readonly<Record<string, Medium>> = {
  email: 'email',
  text: 'messaging',
  'social-media': 'social-media',
  website: 'website-app',
  'dating-site': 'website-app',
  marketplace: 'online-marketplace',
  'messaging-app': 'messaging',
};

/** What kind of crime a Home Office offence name says it is: step 2 reads it. */
export type OffenceKind =
  'computer-misuse' | 'child-sexual' | 'harassment' | 'blackmail' | 'fraud' | 'contact' | 'theft';

/** How a Home Office offence name, as forces write it, weighs on the online element and the category. */
export interface OffenceRule {
  id: string;
  kind: OffenceKind;
  pattern: RegExp;
  /** Added to the online score: positive for offences that are online by definition, negative for contact crime. */
  weight: number;
  medium: Medium | null;
  label: string;
}

/**
 * Patterns run on the offence name lower-cased with punctuation removed (see offenceKey), first match wins.
 * Typing errors seen in exports ("burglery", "robery", "harrasment") are part of the patterns.
 */
export const OFFENCE_RULES: readonly OffenceRule[] = [
  {
    id: 'offence-cma',
    kind: 'computer-misuse',
    pattern: /\b(?:computer misuse|cma|unauthorised access to computer|intent to impair|computer material)\b/,
    weight: 5,
    medium: 'computer-misuse',
    label: 'a Computer Misuse Act offence',
  },
  {
    id: 'offence-child-sexual',
    kind: 'child-sexual',
    pattern:
      /\b(?:sexual comm\w* with (?:a )?child|indecent (?:photo\w*|images?) of (?:a )?child\w*|(?:causing|inciting) (?:or inciting )?(?:a )?child|sexual activity with (?:a )?child|grooming|meeting a child)\b/,
    weight: 1,
    medium: null,
    label: 'a sexual offence against a child',
  },
  {
    id: 'offence-harassment',
    kind: 'harassment',
    pattern:
      /\b(?:harr?ass?ment|harass\w*|stalking|malicious comm\w*|threats?|public fear|coercive|controlling|breach of (?:a )?(?:restraining|non ?mol\w*)|non ?mol|restraining order|disclosing private sexual|revenge porn|exposure|voyeurism|cyberflash\w*|sending (?:\w+ ){0,2}(?:letters?|communications?))\b/,
    weight: -0.5,
    medium: null,
    label: 'harassment, threats or malicious communications',
  },
  {
    id: 'offence-blackmail',
    kind: 'blackmail',
    pattern: /\b(?:blackmail|extortion)\b/,
    weight: 0,
    medium: null,
    label: 'blackmail',
  },
  {
    id: 'offence-contact',
    kind: 'contact',
    pattern:
      /\b(?:burglary|burglery|burgulary|robbery|robery|assault|abh|gbh|wounding|s ?39|s ?47|s ?18|s ?20|rape|sexual|criminal damage|crim damage|arson|dangerous driving|driving|drugs?|offensive weapon|knife|modern slavery|emergency worker)\b/,
    weight: -2.5,
    medium: null,
    label: 'a contact or property crime',
  },
  {
    id: 'offence-theft',
    kind: 'theft',
    pattern: /\b(?:theft|shoplifting|handling stolen|stolen goods|bicycle|pedal cycle|obtaining services)\b/,
    weight: -2,
    medium: null,
    label: 'a theft',
  },
  {
    id: 'offence-fraud',
    kind: 'fraud',
    pattern: /\b(?:fraud|false rep\w*|abuse of position|failing to disclose)\b/,
    weight: 0,
    medium: null,
    label: 'fraud',
  },
];

/** The offence name as the offence rules read it. */
export function offenceKey(offence: string): string {
  return offence
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The rule an offence name matches, if any. */
export function offenceRule(offence: string | undefined): OffenceRule | null {
  if (offence === undefined) return null;
  const key = offenceKey(offence);
  if (key === '') return null;
  return OFFENCE_RULES.find((rule) => rule.pattern.test(key)) ?? null;
}
