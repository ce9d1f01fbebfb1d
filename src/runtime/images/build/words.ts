// Dockerfile word processing (moby's shell lexer, the parts Dockerfiles use): quotes, escapes,
// and $VAR, ${VAR}, ${VAR:-default}, ${VAR:+alternative}, ${VAR-default}, ${VAR+alternative}.
export type Lookup = (name: string) => string | undefined;

export class SubstitutionError extends Error {}

function expandVariable(text: string, at: number, lookup: Lookup): { value: string; end: number } {
  // text[at] === '$'
  const next = text[at + 1];
  if (next === '{') {
    const close = findClose(text, at + 2);
    const inner = text.slice(at + 2, close);
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])(.*))?$/s.exec(inner);
    if (!match) throw new SubstitutionError(`failed to process "\${${inner}}": bad substitution`);
    const [, name, operator, word = ''] = match;
    const value = lookup(name!);
    const expandedWord = () => expandWords(word, lookup, false)[0] ?? '';
    let result = value ?? '';
    switch (operator) {
      case ':-': result = value ? value : expandedWord(); break;
      case '-': result = value !== undefined ? value : expandedWord(); break;
      case ':+': result = value ? expandedWord() : ''; break;
      case '+': result = value !== undefined ? expandedWord() : ''; break;
      case ':?':
      case '?':
        if (operator === '?' ? value === undefined : !value) throw new SubstitutionError(`${name}: ${word || 'is not allowed to be unset'}`);
        break;
      default: break;
    }
    return { value: result, end: close + 1 };
  }
  const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at + 1));
  if (!match) return { value: '$', end: at + 1 };
  return { value: lookup(match[0]) ?? '', end: at + 1 + match[0].length };
}

function findClose(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  throw new SubstitutionError(`failed to process "${text}": missing '}'`);
}

/**
 * Expands variables and removes quotes. With `split`, unquoted whitespace separates words
 * (COPY a b c, ENV a=1 b=2); without, the whole text is one word (WORKDIR, USER).
 */
export function expandWords(text: string, lookup: Lookup, split = true, escape = '\\'): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (split && /\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === escape) {
      word += text[i + 1] ?? '';
      i += 2;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw new SubstitutionError(`unexpected end of statement while looking for matching single-quote`);
      word += text.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new SubstitutionError('unexpected end of statement while looking for matching double-quote');
        const d = text[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === escape && ['"', '$', escape].includes(text[i + 1] ?? '')) {
          word += text[i + 1];
          i += 2;
        } else if (d === '$') {
          const expanded = expandVariable(text, i, lookup);
          word += expanded.value;
          i = expanded.end;
        } else {
          word += d;
          i++;
        }
      }
    } else if (c === '$') {
      const expanded = expandVariable(text, i, lookup);
      word += expanded.value;
      i = expanded.end;
    } else {
      word += c;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** "k=v k2='v 2'" (or the legacy "k value with spaces") as pairs, for ENV, LABEL and ARG. */
export function keyValuePairs(text: string, lookup: Lookup, keyword: string): [string, string][] {
  const firstWord = /^\S+/.exec(text)?.[0] ?? '';
  if (!firstWord.includes('=')) {
    const rest = text.slice(firstWord.length).trim();
    if (!rest) throw new SubstitutionError(`${keyword} requires exactly one argument or key=value pairs`);
    return [[firstWord, expandWords(rest, lookup, false)[0] ?? '']];
  }
  return expandWords(text, lookup, true).map((word) => {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new SubstitutionError(`${keyword} names can not be blank: "${word}"`);
    return [word.slice(0, eq), word.slice(eq + 1)];
  });
}
