import type { Page } from 'playwright-core';

/**
 * Words that are never Welsh, common in this service's English text. A Welsh page that shows one outside the parts
 * marked lang="en" (an alert's English text, a name typed in English) has an untranslated string.
 */
const ENGLISH =
  /\b(the|and|you|your|with|from|this|Continue|Back|Change|What|When|Yes|Status|Send|Save|Record|Close|Show|Publish|Approve|Refer|Declare)\b/;

/**
 * The first never-Welsh word in the page's main content outside lang="en" parts and select lists, with the words
 * around it.
 */
export async function englishOnWelshPage(page: Page): Promise<string | undefined> {
  const text = await page.evaluate(() => {
    const main = document.querySelector('main')?.cloneNode(true) as HTMLElement | undefined;
    // A select's options are names (forces and units, some with no Welsh name): not the page's text.
    main?.querySelectorAll('[lang="en"], select').forEach((e) => {
      e.remove();
    });
    return main?.innerText ?? main?.textContent ?? '';
  });
  const found = ENGLISH.exec(text);
  return found === null ? undefined : text.slice(Math.max(0, found.index - 40), found.index + 40);
}
