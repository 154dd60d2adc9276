import { compileToolTemplate, type TemplateVariables } from './tool-template.js';

const reminder: TemplateVariables = {
  name: 'send_reminder',
  variables: ['first_name', 'pharmacy_name', 'refill_date'],
};

const priorAuth: TemplateVariables = {
  name: 'send_prior_auth_update',
  variables: ['first_name', 'status'],
  choices: { status: ['approved', 'denied'] },
};

const PRIOR_AUTH = {
  text: 'Hi {{first_name}}, your request {{status}}.',
  status: { approved: 'was approved', denied: 'was not approved, {{first_name}}' },
};

describe('compileToolTemplate', () => {
  it('fills plain text like renderTemplate', () => {
    const template = compileToolTemplate(reminder, 'Hi {{first_name}}');

    expect(template.render({ first_name: 'Ana', pharmacy_name: '', refill_date: '' })).toBe(
      'Hi Ana',
    );
  });

  describe('phrases', () => {
    const template = compileToolTemplate(reminder, {
      text: 'Hi {{first_name}}, refill{{date_phrase}}{{pharmacy_phrase}}.',
      date_phrase: ' by {{refill_date}}',
      pharmacy_phrase: ' at {{pharmacy_name}}',
    });

    it('are filled when every variable they use has a value', () => {
      expect(
        template.render({ first_name: 'Ana', pharmacy_name: 'Main St', refill_date: 'Monday' }),
      ).toBe('Hi Ana, refill by Monday at Main St.');
    });

    it('are left out when a variable they use is empty', () => {
      expect(template.render({ first_name: 'Ana', pharmacy_name: '', refill_date: 'Monday' })).toBe(
        'Hi Ana, refill by Monday.',
      );
      expect(template.render({ first_name: 'Ana', pharmacy_name: '', refill_date: '' })).toBe(
        'Hi Ana, refill.',
      );
    });

    it('may not take the name of a variable', () => {
      expect(() =>
        compileToolTemplate(reminder, { text: '{{pharmacy_name}}', pharmacy_name: ' at x' }),
      ).toThrow('has a phrase named "pharmacy_name", the name of a variable the tool provides');
    });

    it('may only use the tool variables, naming the phrase and the variable', () => {
      expect(() =>
        compileToolTemplate(reminder, { text: 'Hi{{at}}', at: ' at {{pharmacy}}' }),
      ).toThrow(
        'Template of send_reminder (phrase "at") uses {{pharmacy}}, which the tool does not provide',
      );
    });
  });

  describe('choices', () => {
    const template = compileToolTemplate(priorAuth, PRIOR_AUTH);

    it('give the words for the value the tool sends', () => {
      expect(template.render({ first_name: 'Ana', status: 'approved' })).toBe(
        'Hi Ana, your request was approved.',
      );
      expect(template.render({ first_name: 'Ana', status: 'denied' })).toBe(
        'Hi Ana, your request was not approved, Ana.',
      );
    });

    it('must give words for every value', () => {
      expect(() =>
        compileToolTemplate(priorAuth, { ...PRIOR_AUTH, status: { approved: 'was approved' } }),
      ).toThrow('Template of send_prior_auth_update gives no text for status "denied"');
    });

    it('may not give words for a value the tool never sends', () => {
      expect(() =>
        compileToolTemplate(priorAuth, {
          ...PRIOR_AUTH,
          status: { ...PRIOR_AUTH.status, maybe: 'is a maybe' },
        }),
      ).toThrow('gives a text for status "maybe", which the tool never sends');
    });

    it('cannot be used without its words, which would text the raw value', () => {
      expect(() => compileToolTemplate(priorAuth, 'Your request is {{status}}.')).toThrow(
        'Template of send_prior_auth_update uses {{status}}, a choice: give its words for each value (approved, denied) under "status"',
      );
    });

    it('are only for variables the tool declares as choices', () => {
      expect(() =>
        compileToolTemplate(priorAuth, { text: '{{first_name}}', first_name: { a: 'b' } }),
      ).toThrow('gives texts per value for "first_name", which is not a choice of the tool');
    });

    it('cannot be used inside a phrase', () => {
      expect(() =>
        compileToolTemplate(priorAuth, { ...PRIOR_AUTH, text: 'Hi{{p}}', p: ' ({{status}})' }),
      ).toThrow('Template of send_prior_auth_update (phrase "p") uses the choice {{status}}');
    });
  });

  it('names an unknown variable in the text and lists what the tool provides', () => {
    expect(() => compileToolTemplate(reminder, 'Hi {{firstName}}')).toThrow(
      'Template of send_reminder uses {{firstName}}, which the tool does not provide (it provides: first_name, pharmacy_name, refill_date)',
    );
  });

  it.each([
    ['a number', 42],
    ['an array', ['Hi']],
    ['an object without text', { greeting: 'Hi' }],
  ])('refuses %s as a template', (_case, entry) => {
    expect(() => compileToolTemplate(reminder, entry)).toThrow(
      'Template of send_reminder must be text, or an object with the text under "text"',
    );
  });

  it('refuses a phrase that is neither text nor texts per value', () => {
    expect(() => compileToolTemplate(reminder, { text: 'Hi', extra: 3 })).toThrow(
      'Template of send_reminder has a phrase "extra" that is neither text nor texts per value',
    );
  });
});
