/**
 * "Where do I report?" triage: answers → the next question, an exit page sending the person to the right place,
 * or the full report. Table-driven and pure so every branch is tested without a browser.
 */
export type TriageQuestion = 'danger' | 'reporting-for' | 'live-attack' | 'what' | 'personal-data';

/** Every exit page, in the order triage can reach them. */
export const EXIT_PAGES = [
  'emergency',
  'live-attack',
  'phishing-email',
  'phishing-text',
  'phishing-website',
  'harassment',
  'child-abuse-images',
  'worried-about-child',
  'young-person',
  'harmful-content',
  'ico',
] as const;
export type ExitPage = (typeof EXIT_PAGES)[number];

export type TriageAnswers = Partial<Record<TriageQuestion, string>>;

export type TriageStep =
  { kind: 'question'; question: TriageQuestion } | { kind: 'exit'; page: ExitPage } | { kind: 'report' };

/** The options each question offers, in the order shown. */
export const TRIAGE_OPTIONS: Readonly<Record<TriageQuestion, readonly string[]>> = {
  danger: ['yes', 'no'],
  'reporting-for': ['myself', 'someone-else', 'organisation'],
  'live-attack': ['yes', 'no'],
  what: [
    'money-or-account',
    'hacked-or-attacked',
    'suspicious-email',
    'suspicious-text',
    'suspicious-website',
    'harassment',
    'child-abuse-images',
    'worried-about-child',
    'young-person-advice',
    'harmful-content',
    'something-else',
  ],
  'personal-data': ['yes', 'no', 'not-sure'],
};

const WHAT_EXITS: Readonly<Partial<Record<string, ExitPage>>> = {
  'suspicious-email': 'phishing-email',
  'suspicious-text': 'phishing-text',
  'suspicious-website': 'phishing-website',
  harassment: 'harassment',
  'child-abuse-images': 'child-abuse-images',
  'worried-about-child': 'worried-about-child',
  'young-person-advice': 'young-person',
  'harmful-content': 'harmful-content',
};

/** Exit pages after which a person may still go on to make a report here. */
export const EXITS_THAT_CONTINUE: ReadonlySet<ExitPage> = new Set<ExitPage>([
  'live-attack',
  'phishing-email',
  'phishing-text',
  'phishing-website',
  'ico',
]);

/** Exit pages that offer to record the message or website as intelligence (category phishing-attempt). */
export const PHISHING_EXITS: ReadonlySet<ExitPage> = new Set<ExitPage>([
  'phishing-email',
  'phishing-text',
  'phishing-website',
]);

export function isValidAnswer(question: TriageQuestion, answer: unknown): answer is string {
  return typeof answer === 'string' && TRIAGE_OPTIONS[question].includes(answer);
}

/**
 * The next step for the answers so far. `acknowledged` lists exit pages the person has read and chosen to go on
 * from (e.g. they called the live attack line and now want to report online too).
 */
export function nextTriageStep(answers: TriageAnswers, acknowledged: readonly ExitPage[] = []): TriageStep {
  const ask = (question: TriageQuestion): TriageStep | null =>
    isValidAnswer(question, answers[question]) ? null : { kind: 'question', question };
  const exit = (page: ExitPage): TriageStep | null =>
    acknowledged.includes(page) ? null : { kind: 'exit', page };

  const danger = ask('danger');
  if (danger) return danger;
  if (answers.danger === 'yes') return { kind: 'exit', page: 'emergency' };

  const reportingFor = ask('reporting-for');
  if (reportingFor) return reportingFor;
  const organisation = answers['reporting-for'] === 'organisation';

  if (organisation) {
    const live = ask('live-attack');
    if (live) return live;
    if (answers['live-attack'] === 'yes') {
      const step = exit('live-attack');
      if (step) return step;
    }
  }

  const what = ask('what');
  if (what) return what;
  const whatExit = WHAT_EXITS[answers.what ?? ''];
  if (whatExit) {
    const step = exit(whatExit);
    if (step) return step;
  }

  if (organisation && !PHISHING_EXITS.has(whatExit ?? 'emergency')) {
    const personal = ask('personal-data');
    if (personal) return personal;
    if (answers['personal-data'] !== 'no') {
      const step = exit('ico');
      if (step) return step;
    }
  }
  return { kind: 'report' };
}

/** The questions asked, in order, for these answers: used for Back links and to drop answers that no longer apply. */
export function triagePath(answers: TriageAnswers, acknowledged: readonly ExitPage[] = []): TriageQuestion[] {
  const asked: TriageQuestion[] = [];
  const partial: TriageAnswers = {};
  for (;;) {
    const step = nextTriageStep(partial, acknowledged);
    if (step.kind !== 'question') return asked;
    asked.push(step.question);
    const answer = answers[step.question];
    if (!isValidAnswer(step.question, answer)) return asked;
    partial[step.question] = answer;
  }
}
