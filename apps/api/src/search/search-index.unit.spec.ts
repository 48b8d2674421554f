import type { TextAt } from './searchable-text';
import { SNIPPET_LENGTH, matchesIn, normalizeTerm, tokensOf } from './search-index';

describe('tokensOf', () => {
  it('gives each word with its offsets, normalized without case or accents', () => {
    expect(tokensOf('São Paulo, 145% — “fentanyl”')).toEqual([
      { start: 0, end: 3, term: 'sao' },
      { start: 4, end: 9, term: 'paulo' },
      { start: 11, end: 14, term: '145' },
      { start: 19, end: 27, term: 'fentanyl' },
    ]);
    expect(normalizeTerm('Genève')).toBe('geneve');
  });
});

describe('matchesIn', () => {
  const at = (text: string, path = 'data.quote', field = 'data.quote'): TextAt => ({
    field,
    path,
    text,
  });

  it('a short text is given whole, each word found in that field marked', () => {
    const matches = matchesIn(
      [at('Trump on fentanyl', 'summary', 'summary'), at('Fentanyl must stop, fentanyl!')],
      { fentanyl: ['data.quote'] },
    );
    expect(matches).toEqual([
      {
        field: 'data.quote',
        snippet: 'Fentanyl must stop, fentanyl!',
        highlights: [
          { start: 0, end: 8 },
          { start: 20, end: 28 },
        ],
      },
    ]);
  });

  it('a long text is cut around its first word found, between words, … marking each cut', () => {
    const before = 'word '.repeat(100);
    const after = ' more'.repeat(100);
    const text = `${before}the fentanyl flow${after}`;
    const [match] = matchesIn([at(text)], { fentanyl: ['data.quote'] });
    expect(match!.snippet.startsWith('…word ')).toBe(true);
    expect(match!.snippet.endsWith('more…')).toBe(true);
    expect(match!.snippet.length).toBeLessThanOrEqual(SNIPPET_LENGTH + 2);
    expect(match!.highlights).toHaveLength(1);
    const { start, end } = match!.highlights[0]!;
    expect(match!.snippet.slice(start, end)).toBe('fentanyl');
  });

  it('no word found: no match', () => {
    expect(matchesIn([at('Soybeans')], { fentanyl: ['data.quote'] })).toEqual([]);
  });
});
