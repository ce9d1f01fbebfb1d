// The label selector grammar, lexed and parsed the way upstream's labels.Parse does, so that
// accepted inputs and error texts agree byte for byte:
//   selector    := requirement ("," requirement)*
//   requirement := ["!"] KEY [ ("in"|"notin") "(" values ")" | ("="|"=="|"!="|">"|"<") VALUE ]
import { binaryOperators, LabelRequirement, LabelRequirementError, formatPathedError, labelKeyError, type LabelOperator } from './label-requirement.js';

type Token =
  | 'error'
  | 'end'
  | 'closePar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

const literalTokens: ReadonlyMap<string, Token> = new Map([
  [')', 'closePar'],
  [',', 'comma'],
  ['!', 'doesNotExist'],
  ['==', 'doubleEquals'],
  ['=', 'equals'],
  ['>', 'greaterThan'],
  ['in', 'in'],
  ['<', 'lessThan'],
  ['!=', 'notEquals'],
  ['notin', 'notIn'],
  ['(', 'openPar'],
]);

interface Scanned {
  token: Token;
  literal: string;
}

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch) && ch !== '';

/** Character lexer. Like upstream it treats a NUL as end of input ("" here). */
class Lexer {
  private pos = 0;
  constructor(private readonly text: string) {}

  private read(): string {
    if (this.pos >= this.text.length) return '';
    const ch = this.text[this.pos++]!;
    return ch === '\0' ? '' : ch;
  }

  private unread(): void {
    this.pos--;
  }

  next(): Scanned {
    let ch = this.read();
    while (isWhitespace(ch)) ch = this.read();
    if (ch === '') return { token: 'end', literal: '' };
    this.unread();
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIdentifierOrKeyword();
  }

  private scanIdentifierOrKeyword(): Scanned {
    let buffer = '';
    for (;;) {
      const ch = this.read();
      if (ch === '') break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
    }
    const keyword = literalTokens.get(buffer);
    return { token: keyword ?? 'identifier', literal: buffer };
  }

  /** Longest run of operator characters that still forms a known operator ("===" is "==" then "="). */
  private scanSpecialSymbol(): Scanned {
    let buffer = '';
    let last: Scanned | undefined;
    for (;;) {
      const ch = this.read();
      if (ch === '') break;
      if (!isSpecialSymbol(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
      const token = literalTokens.get(buffer);
      if (token) {
        last = { token, literal: buffer };
      } else if (last) {
        this.unread();
        break;
      }
    }
    return last ?? { token: 'error', literal: `error expected: keyword found '${buffer}'` };
  }
}

/** In value position the keywords "in" and "notin" are ordinary identifiers. */
type Context = 'keyAndOperator' | 'values';

class ParseError extends Error {}

class Parser {
  private readonly items: Scanned[] = [];
  private position = 0;

  constructor(text: string) {
    const lexer = new Lexer(text);
    for (;;) {
      const item = lexer.next();
      this.items.push(item);
      if (item.token === 'end') break;
    }
  }

  private peek(context: Context): Scanned {
    return this.contextual(this.items[this.position]!, context);
  }

  private consume(context: Context): Scanned {
    const item = this.items[this.position]!;
    // The end token is sticky: reading past it keeps returning it.
    if (item.token !== 'end') this.position++;
    return this.contextual(item, context);
  }

  private contextual(item: Scanned, context: Context): Scanned {
    if (context === 'values' && (item.token === 'in' || item.token === 'notIn')) return { token: 'identifier', literal: item.literal };
    return item;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { token, literal } = this.peek('values');
      if (token === 'end') return requirements;
      if (token !== 'identifier' && token !== 'doesNotExist') throw new ParseError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      requirements.push(this.parseRequirementOrWrap());
      const after = this.consume('values');
      if (after.token === 'end') return requirements;
      if (after.token !== 'comma') throw new ParseError(`found '${after.literal}', expected: ',' or 'end of string'`);
      const next = this.peek('values');
      if (next.token !== 'identifier' && next.token !== 'doesNotExist') throw new ParseError(`found '${next.literal}', expected: identifier after ','`);
    }
  }

  private parseRequirementOrWrap(): LabelRequirement {
    try {
      return this.parseRequirement();
    } catch (err) {
      if (err instanceof ParseError || err instanceof LabelRequirementError) throw new ParseError(`unable to parse requirement: ${err.message}`);
      throw err;
    }
  }

  private parseRequirement(): LabelRequirement {
    let { token, literal } = this.consume('values');
    let unary: LabelOperator | undefined;
    if (token === 'doesNotExist') {
      unary = '!';
      ({ token, literal } = this.consume('values'));
    }
    if (token !== 'identifier') throw new ParseError(`found '${literal}', expected: identifier`);
    const key = literal;
    // Upstream validates the key here with no field path, which prints as "<nil>".
    const keyError = labelKeyError(key, '<nil>');
    if (keyError) throw new ParseError(formatPathedError(keyError));
    const ahead = this.peek('values').token;
    if (unary || ahead === 'end' || ahead === 'comma') {
      return LabelRequirement.create(key, unary ?? 'exists', []);
    }
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValueSet() : this.parseExactValue();
    // sets.String.List(): unique and sorted.
    return LabelRequirement.create(key, operator, [...new Set(values)].sort());
  }

  private parseOperator(): LabelOperator {
    const { token, literal } = this.consume('keyAndOperator');
    const operators: Partial<Record<Token, LabelOperator>> = {
      in: 'in',
      equals: '=',
      doubleEquals: '==',
      greaterThan: 'gt',
      lessThan: 'lt',
      notIn: 'notin',
      notEquals: '!=',
    };
    const op = operators[token];
    if (!op) throw new ParseError(`found '${literal}', expected: ${binaryOperators.join(', ')}`);
    return op;
  }

  private parseValueSet(): string[] {
    const open = this.consume('values');
    if (open.token !== 'openPar') throw new ParseError(`found '${open.literal}' expected: '('`);
    const first = this.peek('values');
    if (first.token === 'closePar') {
      this.consume('values');
      return [''];
    }
    if (first.token !== 'identifier' && first.token !== 'comma') throw new ParseError(`found '${first.literal}', expected: ',', ')' or identifier`);
    const values = this.parseIdentifierList();
    if (this.consume('values').token !== 'closePar') throw new ParseError(`found '${first.literal}', expected: ')'`);
    return values;
  }

  /** A possibly empty, comma separated list of possibly empty values: "(a,,b)", "(,)". */
  private parseIdentifierList(): string[] {
    const values: string[] = [];
    for (;;) {
      const { token, literal } = this.consume('values');
      if (token === 'identifier') {
        values.push(literal);
        const next = this.peek('values');
        if (next.token === 'comma') continue;
        if (next.token === 'closePar') return values;
        throw new ParseError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (token !== 'comma') throw new ParseError(`found '${literal}', expected: ',', or identifier`);
      if (values.length === 0) values.push('');
      const next = this.peek('values');
      if (next.token === 'closePar') {
        values.push('');
        return values;
      }
      if (next.token === 'comma') {
        this.consume('values');
        values.push('');
      }
    }
  }

  private parseExactValue(): string[] {
    const ahead = this.peek('values');
    if (ahead.token === 'end' || ahead.token === 'comma') return [''];
    const { token, literal } = this.consume('values');
    if (token === 'identifier') return [literal];
    throw new ParseError(`found '${literal}', expected: identifier`);
  }
}

/** Parses into requirements sorted by key; throws Error with upstream's message on bad input. */
export function parseLabelRequirements(text: string): LabelRequirement[] {
  const requirements = new Parser(text).parse();
  // Go's sort.Sort is not stable, but equal keys only reorder requirements that are ANDed anyway.
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
