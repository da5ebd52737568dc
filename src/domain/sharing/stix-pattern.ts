/**
 * A checker for the STIX 2.1 patterning language (STIX 2.1 section 9, the STIXPattern grammar): tokens, then a
 * recursive-descent parse of observation and comparison expressions with their qualifiers. It answers whether a
 * pattern is well formed, and if not, where it fails; Bluelight checks every pattern it builds with it.
 */
type Token =
  | { kind: 'string' | 'timestamp' | 'binary' | 'hex'; text: string; at: number }
  | { kind: 'int' | 'float' | 'bool' | 'word' | 'punct'; text: string; at: number };

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUPERSET',
  'ISSUBSET',
  'EXISTS',
  'LAST',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'WITHIN',
  'REPEATS',
  'TIMES',
]);
const TIMESTAMP =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;

export class StixPatternError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(`${message} at character ${at}`);
    this.name = 'StixPatternError';
  }
}

function tokenise(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const quoted = /^([tbh]?)'/.exec(pattern.slice(i, i + 2));
    if (quoted !== null) {
      const start = i;
      i += quoted[0].length;
      let text = '';
      for (;;) {
        if (i >= pattern.length) throw new StixPatternError('unterminated string', start);
        const d = pattern.charAt(i);
        if (d === '\\') {
          const next = pattern.charAt(i + 1);
          if (next !== "'" && next !== '\\') throw new StixPatternError('invalid escape in string', i);
          text += next;
          i += 2;
        } else if (d === "'") {
          i++;
          break;
        } else {
          text += d;
          i++;
        }
      }
      const prefix = quoted[1];
      if (prefix === 't') {
        if (!TIMESTAMP.test(text)) throw new StixPatternError('invalid timestamp', start);
        tokens.push({ kind: 'timestamp', text, at: start });
      } else if (prefix === 'b') {
        if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text))
          throw new StixPatternError('invalid binary literal', start);
        tokens.push({ kind: 'binary', text, at: start });
      } else if (prefix === 'h') {
        if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw new StixPatternError('invalid hex literal', start);
        tokens.push({ kind: 'hex', text, at: start });
      } else tokens.push({ kind: 'string', text, at: start });
      continue;
    }
    const number = /^[+-]?(?:\d+\.\d+|\.\d+|\d+)/.exec(pattern.slice(i));
    if (number !== null && /[\d.+-]/.test(c)) {
      tokens.push({ kind: number[0].includes('.') ? 'float' : 'int', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(pattern.slice(i));
    if (word !== null) {
      const text = word[0];
      tokens.push({ kind: text === 'true' || text === 'false' ? 'bool' : 'word', text, at: i });
      i += text.length;
      continue;
    }
    const punct = /^(?:<=|>=|!=|==|[=<>[\]():.,*])/.exec(pattern.slice(i));
    if (punct === null) throw new StixPatternError(`unexpected character ${JSON.stringify(c)}`, i);
    tokens.push({ kind: 'punct', text: punct[0], at: i });
    i += punct[0].length;
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private fail(message: string): never {
    throw new StixPatternError(message, this.peek()?.at ?? this.length);
  }

  private isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.text === text;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === text;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.fail(`expected "${text}"`);
    this.i++;
  }

  private expectWord(text: string): void {
    if (!this.isWord(text)) this.fail(`expected ${text}`);
    this.i++;
  }

  pattern(): void {
    if (this.tokens.length === 0) this.fail('empty pattern');
    this.observationExpressions();
    if (this.peek() !== undefined) this.fail('unexpected token');
  }

  private observationExpressions(): void {
    this.observationOr();
    while (this.isWord('FOLLOWEDBY')) {
      this.i++;
      this.observationOr();
    }
  }

  private observationOr(): void {
    this.observationAnd();
    while (this.isWord('OR')) {
      this.i++;
      this.observationAnd();
    }
  }

  private observationAnd(): void {
    this.observation();
    while (this.isWord('AND')) {
      this.i++;
      this.observation();
    }
  }

  private observation(): void {
    if (this.isPunct('[')) {
      this.i++;
      this.comparisonOr();
      this.expectPunct(']');
    } else if (this.isPunct('(')) {
      this.i++;
      this.observationExpressions();
      this.expectPunct(')');
    } else this.fail('expected an observation expression');
    this.qualifiers();
  }

  private qualifiers(): void {
    for (;;) {
      if (this.isWord('START')) {
        this.i++;
        this.literal(['timestamp']);
        this.expectWord('STOP');
        this.literal(['timestamp']);
      } else if (this.isWord('WITHIN')) {
        this.i++;
        this.literal(['int', 'float']);
        this.expectWord('SECONDS');
      } else if (this.isWord('REPEATS')) {
        this.i++;
        this.literal(['int']);
        this.expectWord('TIMES');
      } else return;
    }
  }

  private comparisonOr(): void {
    this.comparisonAnd();
    while (this.isWord('OR')) {
      this.i++;
      this.comparisonAnd();
    }
  }

  private comparisonAnd(): void {
    this.propertyTest();
    while (this.isWord('AND')) {
      this.i++;
      this.propertyTest();
    }
  }

  private propertyTest(): void {
    if (this.isPunct('(')) {
      this.i++;
      this.comparisonOr();
      this.expectPunct(')');
      return;
    }
    if (this.isWord('EXISTS')) {
      this.i++;
      this.objectPath();
      return;
    }
    this.objectPath();
    if (this.isWord('NOT')) this.i++;
    const op = this.peek();
    if (op === undefined) this.fail('expected a comparison operator');
    this.i++;
    if (op.kind === 'punct' && (op.text === '=' || op.text === '==' || op.text === '!=')) {
      this.literal(['string', 'int', 'float', 'bool', 'timestamp', 'binary', 'hex']);
    } else if (op.kind === 'punct' && ['<', '>', '<=', '>='].includes(op.text)) {
      this.literal(['string', 'int', 'float', 'timestamp', 'binary', 'hex']);
    } else if (op.kind === 'word' && op.text === 'IN') {
      this.setLiteral();
    } else if (op.kind === 'word' && ['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'].includes(op.text)) {
      this.literal(['string']);
    } else {
      this.i--;
      this.fail('expected a comparison operator');
    }
  }

  private setLiteral(): void {
    this.expectPunct('(');
    if (this.isPunct(')')) {
      this.i++;
      return;
    }
    this.literal(['string', 'int', 'float', 'bool', 'timestamp', 'binary', 'hex']);
    while (this.isPunct(',')) {
      this.i++;
      this.literal(['string', 'int', 'float', 'bool', 'timestamp', 'binary', 'hex']);
    }
    this.expectPunct(')');
  }

  private literal(kinds: Token['kind'][]): void {
    const t = this.peek();
    if (t === undefined || !kinds.includes(t.kind)) this.fail(`expected a ${kinds.join(' or ')} literal`);
    this.i++;
  }

  private objectPath(): void {
    const type = this.peek();
    if (type?.kind !== 'word' || KEYWORDS.has(type.text)) this.fail('expected an object type');
    if (!/^[a-z0-9-]+$/.test(type.text) || type.text.startsWith('-')) this.fail('invalid object type');
    this.i++;
    this.expectPunct(':');
    this.pathName(false);
    for (;;) {
      if (this.isPunct('.')) {
        this.i++;
        this.pathName(false);
      } else if (this.isPunct('[')) {
        this.i++;
        const index = this.peek();
        if (!(index?.kind === 'int' || (index?.kind === 'punct' && index.text === '*')))
          this.fail('expected an index or *');
        this.i++;
        this.expectPunct(']');
      } else return;
    }
  }

  private pathName(allowHyphen: boolean): void {
    const t = this.peek();
    if (t?.kind === 'string') {
      this.i++;
      return;
    }
    if (t?.kind !== 'word' || (!allowHyphen && t.text.includes('-'))) this.fail('expected a property name');
    this.i++;
  }
}

/** Throws StixPatternError naming the first problem; returns quietly for a well-formed pattern. */
export function checkStixPattern(pattern: string): void {
  new Parser(tokenise(pattern), pattern.length).pattern();
}

export function isValidStixPattern(pattern: string): boolean {
  try {
    checkStixPattern(pattern);
    return true;
  } catch {
    return false;
  }
}

/** A string literal for a pattern: quotes and backslashes escaped. */
export function stixString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
