import { assertTemplateVariables, placeholdersOf, renderTemplate } from './template.js';

describe('placeholdersOf', () => {
  it('lists each placeholder once, in order of first use', () => {
    expect(placeholdersOf('{{b}} and {{ a }} then {{b}} again')).toEqual(['b', 'a']);
  });

  it('is empty for plain text', () => {
    expect(placeholdersOf('No placeholders here.')).toEqual([]);
  });
});

describe('renderTemplate', () => {
  it('fills every placeholder, with or without inner spaces', () => {
    expect(
      renderTemplate('Hi {{first_name}}, your card: {{ copay_url }}. Bye {{first_name}}!', {
        first_name: 'Maria',
        copay_url: 'https://copay.example.com/card/abc123',
      }),
    ).toBe('Hi Maria, your card: https://copay.example.com/card/abc123. Bye Maria!');
  });

  it('fills an empty string as nothing', () => {
    expect(renderTemplate('Refill{{pharmacy_phrase}}.', { pharmacy_phrase: '' })).toBe('Refill.');
  });

  it('ignores variables the template does not use', () => {
    expect(renderTemplate('Hi {{first_name}}', { first_name: 'Maria', unused: 'x' })).toBe(
      'Hi Maria',
    );
  });

  it('inserts values literally, neither expanding $ patterns nor rendering them again', () => {
    expect(renderTemplate('Hi {{first_name}}', { first_name: "$& $' {{first_name}}" })).toBe(
      "Hi $& $' {{first_name}}",
    );
  });

  it('throws for a placeholder without a value, naming it', () => {
    expect(() => renderTemplate('Hi {{first_name}}', {})).toThrow(
      'Template variable "first_name" has no value',
    );
  });
});

describe('assertTemplateVariables', () => {
  it('catches a capitalised or misspelt placeholder instead of texting it literally', () => {
    expect(() => assertTemplateVariables('send_x', 'Hi {{firstName}}', ['first_name'])).toThrow(
      /\{\{firstName\}\}/,
    );
  });

  it('passes when the tool provides every placeholder', () => {
    expect(() =>
      assertTemplateVariables('send_copay_card', 'Hi {{first_name}}: {{copay_url}}', [
        'first_name',
        'copay_url',
      ]),
    ).not.toThrow();
  });

  it('names the tool, the unknown variables and what the tool provides', () => {
    expect(() =>
      assertTemplateVariables('send_copay_card', 'Hi {{first_name}} {{last_name}}: {{url}}', [
        'first_name',
        'copay_url',
      ]),
    ).toThrow(
      'Template of send_copay_card uses {{last_name}}, {{url}}, which the tool does not provide (it provides: first_name, copay_url)',
    );
  });
});
