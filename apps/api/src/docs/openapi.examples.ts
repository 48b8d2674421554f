/**
 * Request examples for the OpenAPI document, taken from the seed article fixture
 * (test/fixtures/seed-article.json, a copy of ../shared/fixtures/seed-article.json): the
 * negotiation and the first development of each type it has. A test keeps them equal to the fixture.
 */

export const OPEN_NEGOTIATION_EXAMPLE = {
  id: 'us-china-trade',
  title: 'US-China trade and fentanyl talks',
  parties: [
    {
      code: 'US',
      name: 'United States',
    },
    {
      code: 'CN',
      name: 'China',
    },
    {
      code: 'HK',
      name: 'Hong Kong',
    },
  ],
  openedAt: '2025-02-01',
};

export const DEVELOPMENT_EXAMPLES: Record<string, Record<string, unknown>> = {
  DemandMade: {
    type: 'DemandMade',
    occurredAt: '2025-02-01',
    source: {
      name: 'The White House',
      attribution: 'document',
    },
    summary: 'US ties tariffs to China curbing the flow of fentanyl precursor chemicals',
    data: {
      by: 'US',
      of: 'CN',
      issue: 'fentanyl-precursors',
      summary: 'Regulate and stop exports of precursor chemicals used to make fentanyl',
    },
  },
  TariffChanged: {
    type: 'TariffChanged',
    occurredAt: '2025-02-01',
    source: {
      name: 'The White House',
      attribution: 'document',
    },
    data: {
      imposedBy: 'US',
      appliedTo: 'CN',
      measure: 'fentanyl-ieepa',
      rate: 10,
      effectiveAt: '2025-02-04',
      coverage: 'all-goods',
    },
  },
  TalksHeld: {
    type: 'TalksHeld',
    occurredAt: '2025-04-15',
    source: {
      name: 'Reuters',
      attribution: 'unnamed-sources',
    },
    summary:
      'Direct talks between Chinese embassy staff in Washington and the US National Security Council yield no results',
    data: {
      participants: ['US', 'CN'],
      venue: 'Washington',
      level: 'embassy',
      outcome: 'no-result',
    },
  },
  StatementMade: {
    type: 'StatementMade',
    occurredAt: '2025-04-20',
    source: {
      name: 'Reuters',
      attribution: 'unnamed-sources',
    },
    data: {
      party: 'US',
      speaker: 'US negotiators',
      quote: 'failing to negotiate in good faith',
      stance: 'hardline',
    },
  },
  ProposalMade: {
    type: 'ProposalMade',
    occurredAt: '2025-05-01',
    reportedAt: '2025-05-02',
    source: {
      name: 'Wall Street Journal',
      attribution: 'unnamed-sources',
    },
    summary: 'US offers to resume discussions over the 145% tariffs',
    data: {
      proposalId: 'us-offer-tariff-talks',
      by: 'US',
      to: ['CN'],
      subject: 'talks',
      summary: 'Resume discussions over the 145% tariffs on Chinese goods',
    },
  },
  ProposalResponded: {
    type: 'ProposalResponded',
    occurredAt: '2025-05-02',
    source: {
      name: 'Ministry of Commerce of China',
      attribution: 'official-statement',
    },
    data: {
      proposalId: 'us-offer-tariff-talks',
      by: 'CN',
      response: 'under-review',
      note: 'Reviewing the offer',
    },
  },
  TradeMeasureChanged: {
    type: 'TradeMeasureChanged',
    occurredAt: '2025-05-02',
    source: {
      name: 'Reuters',
      attribution: 'media-report',
    },
    summary: 'US ends duty-free de minimis access for low-value shipments from China and Hong Kong',
    data: {
      imposedBy: 'US',
      appliedTo: ['CN', 'HK'],
      measure: 'de-minimis-exemption',
      kind: 'exemption',
      action: 'revoked',
      effectiveAt: '2025-05-02',
    },
  },
  TalksStatusChanged: {
    type: 'TalksStatusChanged',
    occurredAt: '2025-05-02',
    reportedAt: '2025-05-02',
    source: {
      name: 'Wall Street Journal',
      attribution: 'unnamed-sources',
    },
    data: {
      status: 'exploratory',
      note: 'Discussions are at an early stage',
    },
  },
};
