import { DEFAULT_PRICE_PER_SEGMENT, pricingConfig } from './pricing.config.js';

describe('pricingConfig', () => {
  const original = process.env;

  beforeEach(() => {
    process.env = { ...original };
    delete process.env.SMS_PRICE_PER_SEGMENT;
    delete process.env.SMS_PRICE_CURRENCY;
  });
  afterEach(() => {
    process.env = original;
  });

  it('defaults to the US price in USD', () => {
    expect(pricingConfig()).toEqual({ perSegment: DEFAULT_PRICE_PER_SEGMENT, currency: 'USD' });
  });

  it('reads a price and a currency', () => {
    process.env.SMS_PRICE_PER_SEGMENT = '0.0455';
    process.env.SMS_PRICE_CURRENCY = 'eur';

    expect(pricingConfig()).toEqual({ perSegment: 0.0455, currency: 'EUR' });
  });

  it.each(['-1', '0,0079', 'cheap', '0.00000001'])('refuses the price %j', (price) => {
    process.env.SMS_PRICE_PER_SEGMENT = price;

    expect(() => pricingConfig()).toThrow('Invalid configuration: SMS_PRICE_PER_SEGMENT');
  });

  it.each(['US', 'dollars'])('refuses the currency %j', (currency) => {
    process.env.SMS_PRICE_CURRENCY = currency;

    expect(() => pricingConfig()).toThrow('Invalid configuration: SMS_PRICE_CURRENCY');
  });
});
