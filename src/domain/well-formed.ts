/** A UTF-16 surrogate without its other half: no database stores it as it is (each writes U+FFFD instead). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` as a database will store it: each lone surrogate made U+FFFD (text cut inside an emoji, say). */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}
