import { describeTariffInput } from './scenarios/tariff-input.scenario';
import { RunningApp } from './support/running-app';
import { onSqlite } from './support/apps-on-store';

// On the embedded store; test/event-store/postgres.e2e.spec.ts and eventstoredb.e2e.spec.ts run the same scenario.
describeTariffInput(onSqlite);

type SchemaObject = {
  properties?: Record<string, SchemaObject & { $ref?: string }>;
  required?: string[];
  items?: SchemaObject;
  pattern?: string;
  description?: string;
  enum?: string[];
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  example?: Record<string, unknown>;
};

describe('the OpenAPI document on tariffs as goods pay them (contract v1.1)', () => {
  let app: RunningApp;
  let schemas: Record<string, SchemaObject>;

  beforeAll(async () => {
    app = await RunningApp.start();
    schemas = (await app.get('/docs-json')).body.components.schemas;
  });

  afterAll(() => app.destroy());

  it('documents until, thenRate, products and displaces on TariffChanged, none required', () => {
    const data = schemas.TariffChangedData!;
    expect(Object.keys(data.properties!)).toEqual(expect.arrayContaining(['until', 'thenRate', 'products', 'displaces']));
    for (const field of ['until', 'thenRate', 'products', 'displaces']) expect(data.required).not.toContain(field);
    expect(data.properties!.until!.description).toMatch(/after effectiveAt/);
    expect(data.properties!.thenRate).toMatchObject({ minimum: 0, maximum: 1000 });
    expect(data.properties!.products).toMatchObject({ minItems: 1, maxItems: 500 });
    expect(data.properties!.products!.description).toMatch(/all-goods/);
  });

  it('gives the product code pattern the contract says: 2 to 10 digits, dots between them', () => {
    const pattern = new RegExp(schemas.TariffChangedData!.properties!.products!.items!.pattern!);
    for (const code of ['72', '8471', '8517.13', '8517.13.00', '1234567890']) {
      expect({ code, matches: pattern.test(code) }).toEqual({ code, matches: true });
    }
    for (const code of ['7', '12345678901', '85..17', 'abc', '.72', '72.', '']) {
      expect({ code, matches: pattern.test(code) }).toEqual({ code, matches: false });
    }
  });

  it('documents TariffScopeChanged: a request body of its own and a listed development', () => {
    const data = schemas.TariffScopeChangedData!;
    expect(Object.keys(data.properties!).sort()).toEqual(
      ['appliedTo', 'description', 'effectiveAt', 'exclude', 'imposedBy', 'include', 'measure'].sort(),
    );
    expect(data.required!.sort()).toEqual(['appliedTo', 'effectiveAt', 'imposedBy', 'measure']);
    expect(data.properties!.measure!.description).toMatch(/tariff-line-unknown/);
    expect(data.properties!.exclude!.description).toMatch(/At least one of exclude and include/);
    expect(schemas.TariffScopeChangedDevelopment!.properties!.type!.enum).toEqual(['TariffScopeChanged']);
    expect(schemas.TariffScopeChangedDevelopment!.example).toMatchObject({ type: 'TariffScopeChanged' });
    expect(schemas.ListedTariffScopeChanged).toBeDefined();
  });
});
