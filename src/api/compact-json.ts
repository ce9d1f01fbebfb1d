// Reading JSON text without parsing it: finding a member's value or skipping one, for text
// JSON.stringify wrote (compact: no whitespace between tokens). The API server splices a
// resourceVersion into the JSON it stored; a client cuts managedFields out of a watch event
// before parsing it. Every function answers "not found" (-1 or undefined) rather than guess when
// the text is not the compact JSON it expects, so callers fall back to parsing.

const quote = 0x22;
const backslash = 0x5c;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const colon = 0x3a;
const comma = 0x2c;

/** Index of the quote closing the string whose opening quote is at `start`, or -1. */
export function closingQuote(text: string, start: number): number {
  // indexOf beats a character loop: managedFields is mostly short strings between brackets.
  let end = text.indexOf('"', start + 1);
  while (end > 0 && text.charCodeAt(end - 1) === backslash) {
    // Escaped unless the backslashes before it escape each other.
    let slashes = 1;
    while (text.charCodeAt(end - 1 - slashes) === backslash) slashes++;
    if (slashes % 2 === 0) break;
    end = text.indexOf('"', end + 1);
  }
  return end;
}

/** Index just past the JSON value starting at `start`, or -1. */
export function skipValue(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === quote) {
    const end = closingQuote(text, start);
    return end < 0 ? -1 : end + 1;
  }
  if (first !== openBrace && first !== openBracket) {
    // A number, true, false or null: runs until the next delimiter.
    let i = start;
    while (i < text.length && !isDelimiter(text.charCodeAt(i))) i++;
    return i;
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      i = closingQuote(text, i);
      if (i < 0) return -1;
    } else if (c === openBrace || c === openBracket) depth++;
    else if ((c === closeBrace || c === closeBracket) && --depth === 0) return i + 1;
  }
  return -1;
}

function isDelimiter(c: number): boolean {
  return c === comma || c === closeBrace || c === closeBracket;
}

export interface MemberAt {
  /** Index of the opening quote of the member's key. */
  keyStart: number;
  /** Index of the first character of its value. */
  valueStart: number;
}

/**
 * Where member `name` of the object whose `{` is at `objectStart` is, scanning its members in
 * order; undefined when it has no such member or the text is not compact JSON. `name` must not
 * need escaping.
 */
export function findMember(text: string, objectStart: number, name: string): MemberAt | undefined {
  if (text.charCodeAt(objectStart) !== openBrace) return undefined;
  let i = objectStart + 1;
  while (text.charCodeAt(i) === quote) {
    const keyEnd = skipValue(text, i);
    if (keyEnd < 0 || text.charCodeAt(keyEnd) !== colon) return undefined;
    if (keyEnd - i === name.length + 2 && text.startsWith(name, i + 1)) return { keyStart: i, valueStart: keyEnd + 1 };
    i = skipValue(text, keyEnd + 1);
    if (i < 0 || text.charCodeAt(i) !== comma) return undefined;
    i++;
  }
  return undefined;
}

/**
 * The text without member `name` of the object whose `{` is at `objectStart` (its comma goes
 * with it), or undefined when there is no such member or the text is not compact JSON.
 */
export function withoutMember(text: string, objectStart: number, name: string): string | undefined {
  const member = findMember(text, objectStart, name);
  if (member === undefined) return undefined;
  const end = skipValue(text, member.valueStart);
  if (end < 0) return undefined;
  if (text.charCodeAt(end) === comma) return text.slice(0, member.keyStart) + text.slice(end + 1);
  // The last member: the comma before it goes (none when it was the only one).
  const before = text.charCodeAt(member.keyStart - 1) === comma ? member.keyStart - 1 : member.keyStart;
  return text.slice(0, before) + text.slice(end);
}
