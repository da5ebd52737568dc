import { describe, expect, it } from 'vitest';
import { nextTriageStep, triagePath, TRIAGE_OPTIONS, type TriageAnswers } from './triage.ts';

const base: TriageAnswers = { danger: 'no', 'reporting-for': 'myself' };

describe('nextTriageStep', () => {
  it('asks about immediate danger first, and sends anyone in danger to 999', () => {
    expect(nextTriageStep({})).toEqual({ kind: 'question', question: 'danger' });
    expect(nextTriageStep({ danger: 'yes' })).toEqual({ kind: 'exit', page: 'emergency' });
    expect(nextTriageStep({ danger: 'yes' }, ['emergency'])).toEqual({ kind: 'exit', page: 'emergency' });
  });

  it('asks who the report is for, then only organisations about a live attack', () => {
    expect(nextTriageStep({ danger: 'no' })).toEqual({ kind: 'question', question: 'reporting-for' });
    expect(nextTriageStep(base)).toEqual({ kind: 'question', question: 'what' });
    expect(nextTriageStep({ danger: 'no', 'reporting-for': 'organisation' })).toEqual({
      kind: 'question',
      question: 'live-attack',
    });
  });

  it('sends an organisation under live attack to the 24/7 line, then lets it continue', () => {
    const org: TriageAnswers = { danger: 'no', 'reporting-for': 'organisation', 'live-attack': 'yes' };
    expect(nextTriageStep(org)).toEqual({ kind: 'exit', page: 'live-attack' });
    expect(nextTriageStep(org, ['live-attack'])).toEqual({ kind: 'question', question: 'what' });
  });

  it.each([
    ['suspicious-email', 'phishing-email'],
    ['suspicious-text', 'phishing-text'],
    ['suspicious-website', 'phishing-website'],
    ['harassment', 'harassment'],
    ['child-abuse-images', 'child-abuse-images'],
    ['worried-about-child', 'worried-about-child'],
    ['young-person-advice', 'young-person'],
    ['harmful-content', 'harmful-content'],
  ])('sends %s to the %s page', (what, page) => {
    expect(nextTriageStep({ ...base, what })).toEqual({ kind: 'exit', page });
  });

  it.each(['money-or-account', 'hacked-or-attacked', 'something-else'])(
    'sends %s to the full report',
    (what) => {
      expect(nextTriageStep({ ...base, what })).toEqual({ kind: 'report' });
    },
  );

  it('tells an organisation about the ICO 72-hour duty when personal data may be involved', () => {
    const org: TriageAnswers = {
      danger: 'no',
      'reporting-for': 'organisation',
      'live-attack': 'no',
      what: 'hacked-or-attacked',
    };
    expect(nextTriageStep(org)).toEqual({ kind: 'question', question: 'personal-data' });
    expect(nextTriageStep({ ...org, 'personal-data': 'yes' })).toEqual({ kind: 'exit', page: 'ico' });
    expect(nextTriageStep({ ...org, 'personal-data': 'not-sure' })).toEqual({ kind: 'exit', page: 'ico' });
    expect(nextTriageStep({ ...org, 'personal-data': 'yes' }, ['ico'])).toEqual({ kind: 'report' });
    expect(nextTriageStep({ ...org, 'personal-data': 'no' })).toEqual({ kind: 'report' });
  });

  it('does not ask an organisation about personal data for a phishing message it only received', () => {
    const org: TriageAnswers = {
      danger: 'no',
      'reporting-for': 'organisation',
      'live-attack': 'no',
      what: 'suspicious-email',
    };
    expect(nextTriageStep(org, ['phishing-email'])).toEqual({ kind: 'report' });
  });

  it('asks again when an answer is not one of the options', () => {
    expect(nextTriageStep({ danger: 'maybe' })).toEqual({ kind: 'question', question: 'danger' });
    expect(nextTriageStep({ ...base, what: '<script>' })).toEqual({ kind: 'question', question: 'what' });
  });

  it('offers every option of every question', () => {
    for (const options of Object.values(TRIAGE_OPTIONS)) expect(new Set(options).size).toBe(options.length);
  });
});

describe('triagePath', () => {
  it('lists the questions asked, for Back links', () => {
    expect(triagePath({ ...base, what: 'money-or-account' })).toEqual(['danger', 'reporting-for', 'what']);
    expect(
      triagePath(
        {
          danger: 'no',
          'reporting-for': 'organisation',
          'live-attack': 'yes',
          what: 'hacked-or-attacked',
          'personal-data': 'no',
        },
        ['live-attack'],
      ),
    ).toEqual(['danger', 'reporting-for', 'live-attack', 'what', 'personal-data']);
  });

  it('drops questions that no longer apply after an earlier answer changes', () => {
    // Was an organisation, now reporting for themselves: the live attack question is no longer on the path.
    expect(
      triagePath({ danger: 'no', 'reporting-for': 'myself', 'live-attack': 'yes', what: 'money-or-account' }),
    ).toEqual(['danger', 'reporting-for', 'what']);
  });
});
