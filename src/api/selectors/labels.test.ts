import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import { labelSelectorFromObject, labelSelectorFromSet, parseLabelSelector } from './labels.js';

function parseError(text: string): string {
  try {
    parseLabelSelector(text);
  } catch (err) {
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(text)} to be rejected`);
}

const fromObjectError = (sel: unknown): string => {
  try {
    labelSelectorFromObject(sel);
  } catch (err) {
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 400);
    return err.message;
  }
  assert.fail('expected an error');
};

describe('parseLabelSelector', () => {
  it('parses every operator and prints the canonical form sorted by key', () => {
    const sel = parseLabelSelector('z=1, y==2,x!=3,w in (b, a),v notin (c),u,!t,s>5,r<7');
    assert.equal(sel.toString(), 'r<7,s>5,!t,u,v notin (c),w in (a,b),x!=3,y==2,z=1');
    assert.equal(sel.isEmpty(), false);
  });

  it('treats empty and blank input as select-everything', () => {
    for (const text of ['', '   ', '\t\n']) {
      const sel = parseLabelSelector(text);
      assert.equal(sel.isEmpty(), true);
      assert.equal(sel.matches({ any: 'thing' }), true);
      assert.equal(sel.matches(undefined), true);
    }
  });

  it('matches label sets', () => {
    const labels = { app: 'web', tier: 'front', n: '10' };
    const yes = ['app=web', 'app==web', 'app!=db', 'app in (web,db)', 'app notin (db)', 'app', '!missing', 'missing notin (x)', 'missing!=x', 'n>9', 'n<11', 'app=web,tier=front'];
    const no = ['app=db', 'app!=web', 'app in (db)', 'app notin (web)', 'missing', '!app', 'missing=x', 'missing in (x)', 'n>10', 'n<10', 'app>1', 'missing>1', 'app=web,tier=back'];
    for (const text of yes) assert.equal(parseLabelSelector(text).matches(labels), true, text);
    for (const text of no) assert.equal(parseLabelSelector(text).matches(labels), false, text);
  });

  it('treats in/notin as plain identifiers in value position', () => {
    assert.equal(parseLabelSelector('x in (in,notin)').matches({ x: 'notin' }), true);
    assert.equal(parseLabelSelector('x=in').matches({ x: 'in' }), true);
  });

  it('handles empty values the way upstream does', () => {
    assert.equal(parseLabelSelector('a=').toString(), 'a=');
    assert.equal(parseLabelSelector('a=').matches({ a: '' }), true);
    assert.equal(parseLabelSelector('a in ()').toString(), 'a in ()');
    assert.equal(parseLabelSelector('a in (,)').matches({ a: '' }), true);
    assert.equal(parseLabelSelector('a in (x,,y)').toString(), 'a in (,x,y)');
  });

  it('rejects malformed selectors with upstream messages', () => {
    assert.equal(parseError('a==='), "unable to parse requirement: found '=', expected: identifier");
    assert.equal(parseError('a=b c'), "found 'c', expected: ',' or 'end of string'");
    assert.equal(parseError('a=b,,c'), "found ',', expected: identifier after ','");
    assert.equal(parseError('=b'), "found '=', expected: !, identifier, or 'end of string'");
    assert.equal(parseError('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    assert.equal(parseError('!a=b'), "found '=', expected: ',' or 'end of string'");
    assert.equal(parseError('a in b'), "unable to parse requirement: found 'b' expected: '('");
    assert.equal(parseError('a in (b c)'), "unable to parse requirement: found 'c', expected: ',' or ')'");
    assert.equal(parseError('a in (='), "unable to parse requirement: found '=', expected: ',', ')' or identifier");
    assert.equal(parseError('a in (b'), "unable to parse requirement: found '', expected: ',' or ')'");
    assert.equal(parseError('a=b,'), "found '', expected: identifier after ','");
    assert.equal(parseError('!!a'), "unable to parse requirement: found '!', expected: identifier");
  });

  it('validates keys and values with upstream wording', () => {
    assert.equal(
      parseError('-a=b'),
      'unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
    );
    assert.equal(
      parseError('a=-b'),
      'unable to parse requirement: values[0][a]: Invalid value: "-b": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')',
    );
    assert.match(parseError('Example.com/a=b'), /^unable to parse requirement: <nil>: Invalid value: "Example.com\/a": prefix part a lowercase RFC 1123 subdomain/);
    assert.equal(parseError('a>b'), 'unable to parse requirement: values[0]: Invalid value: "b": for \'Gt\', \'Lt\' operators, the value must be an integer');
    assert.match(parseError(`a=${'x'.repeat(64)}`), /values\[0\]\[a\]: Invalid value: "x+": must be no more than 63 characters$/);
    assert.match(parseError('a/b/c'), /a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  });

  it('accepts prefixed keys', () => {
    assert.equal(parseLabelSelector('app.kubernetes.io/name=web').matches({ 'app.kubernetes.io/name': 'web' }), true);
  });
});

describe('labelSelectorFromObject', () => {
  it('selects nothing for null and everything for {}', () => {
    assert.equal(labelSelectorFromObject(null).matches({}), false);
    assert.equal(labelSelectorFromObject(undefined).selectsNothing(), true);
    assert.equal(labelSelectorFromObject({}).matches({ a: 'b' }), true);
    assert.equal(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }).isEmpty(), true);
  });

  it('combines matchLabels and matchExpressions', () => {
    const sel = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'team', operator: 'Exists' },
      ],
    });
    assert.equal(sel.toString(), 'app=web,!canary,env notin (prod),team,tier in (edge,front)');
    assert.equal(sel.matches({ app: 'web', tier: 'edge', team: 'a' }), true);
    assert.equal(sel.matches({ app: 'web', tier: 'edge', team: 'a', canary: 'y' }), false);
    assert.equal(sel.matches({ app: 'web', tier: 'back', team: 'a' }), false);
  });

  it('rejects invalid selectors with upstream messages', () => {
    assert.equal(fromObjectError({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), '"Gt" is not a valid label selector operator');
    assert.equal(fromObjectError({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
    assert.equal(
      fromObjectError({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }),
      'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    );
    assert.match(fromObjectError({ matchLabels: { '-bad': 'x' } }), /^key: Invalid value: "-bad": name part must consist/);
    assert.match(fromObjectError({ matchLabels: { '': 'x' } }), /^key: Invalid value: "": name part must be non-empty; name part must consist/);
    assert.match(fromObjectError({ matchLabels: { a: 'x y' } }), /^values\[0\]\[a\]: Invalid value: "x y"/);
    assert.match(fromObjectError('nope'), /must be an object/);
  });

  it('builds exact-match selectors from sets', () => {
    assert.equal(labelSelectorFromSet({ b: '2', a: '1' }).toString(), 'a=1,b=2');
    assert.equal(labelSelectorFromSet({}).isEmpty(), true);
  });
});
