import { describe, expect, it } from 'vitest';
import { classify } from './classify.ts';

describe('a narrative whose reporter answered how it happened online', () => {
  it('the narrative model may not make it other (no crime) where the rules found one', () => {
    // The narrative model alone reads "sofa" as something offline; the reporter named the website.
    const text = 'I bought a sofa from https://sofa-bargains-direct.com/checkout and it never came';
    const answered = classify({ text, answeredMedium: 'website-app' });
    expect(answered).toMatchObject({ category: 'online-shopping-fraud', cyber: 'enabled' });
    expect(answered.online.medium).toBe('website-app');
    // An attempt stays an attempt.
    const attempt = classify({
      text: 'Got an email saying my parcel was held and to pay a redelivery fee. I did not click the link.',
      answeredMedium: 'email',
    });
    expect(attempt.cyber).toBe('none');
  });
});
