/**
 * Words for the synthetic demo reports: what victims write, in English and Welsh, per category. `{site}`, `{email}`,
 * `{phone}`, `{amount}` and `{name}` are filled from the generated suspect and losses. Everything is invented;
 * phone numbers are in Ofcom's range for drama (07700 900xxx), domains are made up for the demo.
 */
import type { Category } from '../../domain/classification/taxonomy.ts';

type Words = Readonly<Record<'en' | 'cy', readonly string[]>>;

export const NARRATIVES: Readonly<Partial<Record<Category, Words>>> = {
  'online-shopping-fraud': {
    en: [
      'I bought a PlayStation on {site} for {amount} and paid by bank transfer. Nothing arrived and the seller has blocked me.',
      'Paid {amount} for concert tickets advertised on {site}. The tickets never came and the website has gone.',
      'I ordered a sofa from an online shop ({site}), paid {amount}, and the delivery company says there is no order.',
    ],
    cy: [
      'Prynais i gonsol gemau ar {site} am {amount} a thalu drwy drosglwyddiad banc. Ni chyrhaeddodd dim ac mae’r gwerthwr wedi fy rhwystro.',
      'Talais {amount} am docynnau cyngerdd ar {site}. Ni ddaeth y tocynnau ac mae’r wefan wedi diflannu.',
    ],
  },
  'investment-fraud': {
    en: [
      'A man on Instagram showed me crypto profits and I invested {amount} through {site}. Now I cannot withdraw anything.',
      'I was cold called about a bond with 12% returns, sent {amount}, and the website {site} is offline.',
    ],
    cy: [
      'Dangosodd dyn ar Instagram elw crypto i mi a buddsoddais {amount} drwy {site}. Nawr ni allaf dynnu dim allan.',
    ],
  },
  'romance-fraud': {
    en: [
      'I met {name} on a dating app. After three months he asked for {amount} for a flight to visit me, then stopped replying.',
      'Someone I met on Facebook said she was stuck abroad and needed {amount}. I sent it to an account she gave me.',
    ],
    cy: [
      'Cwrddais â {name} ar ap cariad. Ar ôl tri mis gofynnodd am {amount} am awyren i ddod i’m gweld, yna stopiodd ateb.',
    ],
  },
  'advance-fee-fraud': {
    en: [
      'I got an email from {email} saying I had won a lottery and needed to pay a {amount} release fee first.',
      'A loan company emailed from {email}: I paid {amount} in fees and the loan never came.',
    ],
    cy: [
      'Cefais e-bost gan {email} yn dweud fy mod wedi ennill loteri a bod angen talu ffi o {amount} yn gyntaf.',
    ],
  },
  'impersonation-fraud': {
    en: [
      'A text said my parcel was held and to pay a fee at {site}. I entered my card details and {amount} was taken.',
      'Someone rang from {phone} saying they were my bank and my money was at risk. I moved {amount} to a safe account.',
      'I got a message from {phone} that looked like my son on WhatsApp, saying he had a new number and needed {amount}.',
    ],
    cy: [
      'Dywedodd neges destun fod fy mharsel wedi’i ddal ac i dalu ffi ar {site}. Rhoddais fanylion fy ngherdyn a chymerwyd {amount}.',
      'Ffoniodd rhywun o {phone} yn dweud mai nhw oedd fy manc. Symudais {amount} i gyfrif diogel.',
    ],
  },
  'business-email-compromise': {
    en: [
      'Our supplier’s email {email} told us their bank details had changed. We paid an invoice of {amount} to the new account.',
    ],
    cy: [
      'Dywedodd e-bost ein cyflenwr {email} fod eu manylion banc wedi newid. Talon ni anfoneb o {amount} i’r cyfrif newydd.',
    ],
  },
  'tech-support-fraud': {
    en: [
      'A pop-up said my computer was infected and to ring {phone}. They took remote access and I paid {amount} for a fix.',
    ],
    cy: [
      'Dywedodd ffenestr naid fod firws ar fy nghyfrifiadur ac i ffonio {phone}. Cawson nhw fynediad o bell a thalais {amount}.',
    ],
  },
  'card-account-fraud': {
    en: [
      'Someone logged in to my online banking and set up payments totalling {amount}. I did not share my password.',
    ],
    cy: ['Mewngofnododd rhywun i’m bancio ar-lein a gwneud taliadau o {amount}. Ni rannais fy nghyfrinair.'],
  },
  'hacking-social-email': {
    en: [
      'My Instagram account was hacked and the password changed. The hacker is messaging my friends asking for money.',
      'Someone got into my email account and is sending messages from it. I got a login alert from another country.',
    ],
    cy: [
      'Cafodd fy nghyfrif Instagram ei hacio a newidiwyd y cyfrinair. Mae’r haciwr yn anfon negeseuon at fy ffrindiau.',
    ],
  },
  'hacking-personal': {
    en: [
      'My laptop was accessed remotely without my permission and files were copied. A stranger knew my private details.',
    ],
    cy: ['Cafodd fy ngliniadur ei gyrchu o bell heb fy nghaniatâd a chopïwyd ffeiliau.'],
  },
  'hacking-server': {
    en: [
      'Our company web server was hacked overnight: the site was defaced and customer records may have been copied.',
    ],
    cy: ['Cafodd gweinydd gwe ein cwmni ei hacio dros nos a newidiwyd y wefan.'],
  },
  'hacking-extortion': {
    en: [
      'Ransomware encrypted our office file server. The note demands {amount} in bitcoin and gives the email {email}.',
    ],
    cy: [
      'Amgryptiodd meddalwedd wystlo ein gweinydd ffeiliau. Mae’r nodyn yn mynnu {amount} mewn bitcoin ac yn rhoi’r e-bost {email}.',
    ],
  },
  malware: {
    en: [
      'I opened an attachment from {email} and now my computer is full of pop-ups and my antivirus found a trojan.',
    ],
    cy: ['Agorais atodiad gan {email} a nawr mae fy nghyfrifiadur yn llawn ffenestri naid.'],
  },
  'denial-of-service': {
    en: [
      'Our online shop has been knocked offline by a flood of traffic for two days; we lost orders worth {amount}.',
    ],
    cy: ['Mae ein siop ar-lein wedi’i tharo all-lein gan lif o draffig ers deuddydd.'],
  },
  sextortion: {
    en: [
      'Someone I chatted to on Snapchat recorded a video call and now threatens to send it to my family unless I pay {amount}.',
    ],
    cy: [
      'Recordiodd rhywun alwad fideo ar Snapchat ac mae’n bygwth ei anfon at fy nheulu oni bai fy mod yn talu {amount}.',
    ],
  },
  'online-harassment': {
    en: [
      'An ex-partner keeps creating new Instagram accounts to send me abusive messages after I blocked him.',
    ],
    cy: [
      'Mae cyn-bartner yn creu cyfrifon Instagram newydd i anfon negeseuon sarhaus ataf ar ôl i mi ei rwystro.',
    ],
  },
  'phishing-attempt': {
    en: [
      'I got a text from {phone} saying my parcel could not be delivered, with a link to {site}. I did not click it.',
    ],
    cy: [
      'Cefais neges destun gan {phone} yn dweud na ellid danfon fy mharsel, gyda dolen i {site}. Ni chliciais arni.',
    ],
  },
};

export const FIRST_NAMES = [
  'Alex',
  'Sam',
  'Priya',
  'Tom',
  'Megan',
  'Dafydd',
  'Siân',
  'Mohammed',
  'Grace',
  'Owen',
  'Aisha',
  'Rhys',
  'Chloe',
  'Ewan',
  'Fatima',
  'Gethin',
];
export const LAST_NAMES = [
  'Jones',
  'Williams',
  'Smith',
  'Patel',
  'Evans',
  'Davies',
  'Brown',
  'Khan',
  'Hughes',
  'Taylor',
  'Roberts',
  'Ahmed',
  'Morgan',
  'Walker',
];
export const SUSPECT_NAMES = [
  'Daniel Clarke',
  'Sofia Moreno',
  'James Carter',
  'Elena Petrova',
  'Michael Reyes',
];

/** Campaigns: one suspect infrastructure behind many reports in many forces. */
export const CAMPAIGNS: readonly {
  category: Category;
  reports: number;
  site?: string;
  email?: string;
  phone?: string;
}[] = [
  {
    category: 'impersonation-fraud',
    reports: 120,
    site: 'parcel-redelivery-fee-demo.co.uk',
    phone: '07700 900101',
  },
  { category: 'online-shopping-fraud', reports: 60, site: 'cheap-consoles-outlet-demo.com' },
  {
    category: 'investment-fraud',
    reports: 45,
    site: 'quantum-yield-demo.net',
    email: 'accounts@quantum-yield-demo.net',
  },
  { category: 'impersonation-fraud', reports: 80, phone: '07700 900202' },
  { category: 'advance-fee-fraud', reports: 30, email: 'claims@national-prize-demo.org' },
  { category: 'tech-support-fraud', reports: 25, phone: '07700 900303' },
  { category: 'phishing-attempt', reports: 150, site: 'hmrc-refund-check-demo.com', phone: '07700 900404' },
];

export const ORGANISATIONS: readonly { name: string; sector: string }[] = [
  { name: 'Harbourside Dental Practice', sector: 'health' },
  { name: 'Fellside Outdoor Ltd', sector: 'retail' },
  { name: 'Cwm Taf Accountants', sector: 'finance' },
  { name: 'Northgate Primary School', sector: 'education' },
  { name: 'Riverbank Logistics', sector: 'transport' },
  { name: 'Castle Street Solicitors', sector: 'legal-professional' },
];
