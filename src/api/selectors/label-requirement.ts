// One label requirement ("app in (a,b)", "!tier", "replicas>3") as upstream's labels.Requirement:
// built through a validating constructor whose error texts match NewRequirement's.
import { errorBody, type FieldError } from '../field-errors.js';
import { isQualifiedName as qualifiedNameErrors, isValidLabelValue as labelValueErrors } from '../validation/names.js';

/** Upstream's selection.Operator strings. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export const binaryOperators: readonly LabelOperator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

/** A field error whose path is printed the way upstream's field.Path does (nil path is "<nil>"). */
export interface PathedError {
  path: string;
  error: FieldError;
}

export class LabelRequirementError extends Error {
  constructor(readonly errors: readonly PathedError[]) {
    super(aggregateMessage(errors));
    this.name = 'LabelRequirementError';
  }
}

/** utilerrors.Aggregate: one error bare, several deduplicated inside [a, b]. */
function aggregateMessage(errors: readonly PathedError[]): string {
  const messages = [...new Set(errors.map(formatPathedError))];
  return messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
}

export function formatPathedError(e: PathedError): string {
  return `${e.path}: ${errorBody(e.error)}`;
}

function invalidAt(path: string, value: string, detail: string): PathedError {
  return { path, error: { type: 'FieldValueInvalid', field: path, value, detail } };
}

/** field.Invalid with a []string value: Go prints it as %#v, i.e. []string{"a", "b"}. */
function invalidListAt(path: string, values: readonly string[], detail: string): PathedError {
  // Callers copy values with append([]string(nil), ...), so an empty list is a nil slice.
  const shown = values.length === 0 ? '[]string(nil)' : `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
  return { path, error: { type: 'FieldValueInvalid', field: path, omitValue: true, detail: `${shown}: ${detail}` } };
}

/** Checks a key the way the parser does, before any operator is read. Path "" stands for upstream's nil path. */
export function labelKeyError(key: string, path: string): PathedError | undefined {
  const errors = qualifiedNameErrors(key);
  return errors.length ? invalidAt(path, key, errors.join('; ')) : undefined;
}

const int64Pattern = /^[+-]?[0-9]+$/;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64) succeeds. */
export function parseInt64(text: string): bigint | undefined {
  if (!int64Pattern.test(text)) return undefined;
  const n = BigInt(text);
  return n < int64Min || n > int64Max ? undefined : n;
}

export class LabelRequirement {
  private constructor(
    readonly key: string,
    readonly operator: LabelOperator,
    readonly values: readonly string[],
  ) {}

  /** Validates like upstream's NewRequirement (with no field path) and throws LabelRequirementError. */
  static create(key: string, operator: LabelOperator, values: readonly string[]): LabelRequirement {
    const errors: PathedError[] = [];
    const keyError = labelKeyError(key, 'key');
    if (keyError) errors.push(keyError);
    const valuesPath = 'values';
    switch (operator) {
      case 'in':
      case 'notin':
        if (values.length === 0) errors.push(invalidListAt(valuesPath, values, "for 'in', 'notin' operators, values set can't be empty"));
        break;
      case '=':
      case '==':
      case '!=':
        if (values.length !== 1) errors.push(invalidListAt(valuesPath, values, 'exact-match compatibility requires one single value'));
        break;
      case 'exists':
      case '!':
        if (values.length !== 0) errors.push(invalidListAt(valuesPath, values, 'values set must be empty for exists and does not exist'));
        break;
      case 'gt':
      case 'lt':
        if (values.length !== 1) errors.push(invalidListAt(valuesPath, values, "for 'Gt', 'Lt' operators, exactly one value is required"));
        values.forEach((v, i) => {
          if (parseInt64(v) === undefined) errors.push(invalidAt(`${valuesPath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        });
        break;
    }
    values.forEach((v, i) => {
      const valueErrors = labelValueErrors(v);
      if (valueErrors.length) errors.push(invalidAt(`${valuesPath}[${i}][${key}]`, v, valueErrors.join('; ')));
    });
    if (errors.length) throw new LabelRequirementError(errors);
    return new LabelRequirement(key, operator, [...values]);
  }

  matches(labels: Readonly<Record<string, string>>): boolean {
    const present = Object.hasOwn(labels, this.key);
    const value = present ? labels[this.key] : undefined;
    switch (this.operator) {
      case 'in':
      case '=':
      case '==':
        return present && this.values.includes(value!);
      case 'notin':
      case '!=':
        return !present || !this.values.includes(value!);
      case 'exists':
        return present;
      case '!':
        return !present;
      case 'gt':
      case 'lt': {
        if (!present || this.values.length !== 1) return false;
        const actual = parseInt64(value!);
        const bound = parseInt64(this.values[0]!);
        if (actual === undefined || bound === undefined) return false;
        return this.operator === 'gt' ? actual > bound : actual < bound;
      }
    }
  }

  /** Upstream's Requirement.String: "!a", "a", "a=b", "a in (x,y)", "a>3"; several values print sorted. */
  toString(): string {
    const head = this.operator === '!' ? `!${this.key}` : this.key;
    if (this.operator === 'exists' || this.operator === '!') return head;
    const shownValues = this.values.length === 1 ? this.values[0]! : [...this.values].sort().join(',');
    switch (this.operator) {
      case 'in':
        return `${head} in (${shownValues})`;
      case 'notin':
        return `${head} notin (${shownValues})`;
      case 'gt':
        return `${head}>${shownValues}`;
      case 'lt':
        return `${head}<${shownValues}`;
      default:
        return `${head}${this.operator}${shownValues}`;
    }
  }
}
